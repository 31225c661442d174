using RemateLive.Domain;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IUserStore"/> must honour: a username is claimed once (ignoring case),
/// accounts are found by name and id, updates are conditional on the security stamp, and unclaimed
/// (passwordless) accounts past their expiry can be deleted. Implement <see cref="CreateStoreAsync"/>;
/// tests use fresh names and only assert on those, so the store may hold other data.
/// </summary>
public abstract class UserStoreComplianceTests : IAsyncLifetime
{
    private IUserStore? _store;

    /// <summary>The store under test (created by <see cref="InitializeAsync"/>).</summary>
    protected IUserStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>A creation time, whole seconds (databases keep microseconds).</summary>
    protected static DateTimeOffset Now { get; } = ComplianceAuctions.Truncate(DateTimeOffset.UtcNow);

    /// <summary>Creates the store under test.</summary>
    protected abstract Task<IUserStore> CreateStoreAsync();

    /// <summary>Creates the store; override to add per-test set-up (call the base).</summary>
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <summary>Disposes the store when it is disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable d:
                await d.DisposeAsync();
                break;
            case IDisposable d:
                d.Dispose();
                break;
        }
    }

    /// <summary>A username is claimed once; lookups by name ignore case; lookups by id work.</summary>
    [Fact]
    public async Task UsernamesAreClaimedOnceAndFoundIgnoringCase()
    {
        var user = NewUser("hash");

        Assert.True(await Store.TryAddAsync(user));
        Assert.False(await Store.TryAddAsync(user with { Id = UserId.New(), DisplayName = "Impostor" }));
        Assert.False(await Store.TryAddAsync(user with { Id = UserId.New(), Username = user.Username.ToUpperInvariant() }));

        Assert.Equal(user, await Store.FindByNameAsync(user.Username));
        Assert.Equal(user, await Store.FindByNameAsync(user.Username.ToUpperInvariant()));
        Assert.Equal(user, await Store.FindByIdAsync(user.Id));
        Assert.Null(await Store.FindByNameAsync(user.Username + "x"));
        Assert.Null(await Store.FindByIdAsync(UserId.New()));
    }

    /// <summary>An update applies only while the stored stamp is the expected one; the name never changes.</summary>
    [Fact]
    public async Task UpdatesAreConditionalOnTheSecurityStamp()
    {
        var user = NewUser("hash");
        Assert.True(await Store.TryAddAsync(user));

        var changed = user with { PasswordHash = "new-hash", Role = "admin", DisplayName = "Renamed", SecurityStamp = UserAccount.NewSecurityStamp() };
        Assert.True(await Store.TryUpdateAsync(changed, user.SecurityStamp));
        Assert.Equal(changed, await Store.FindByIdAsync(user.Id));
        Assert.Equal(changed, await Store.FindByNameAsync(user.Username));

        // A second writer that read the old stamp loses.
        Assert.False(await Store.TryUpdateAsync(user with { PasswordHash = "stale" }, user.SecurityStamp));
        Assert.Equal("new-hash", (await Store.FindByIdAsync(user.Id))!.PasswordHash);

        // Unknown ids change nothing.
        Assert.False(await Store.TryUpdateAsync(NewUser(null), user.SecurityStamp));
    }

    /// <summary>Only passwordless accounts created before the cut-off are deleted; their names can be claimed again.</summary>
    [Fact]
    public async Task UnclaimedAccountsPastTheCutOffAreDeleted()
    {
        var old = NewUser(null, Now.AddDays(-40));
        var oldWithPassword = NewUser("hash", Now.AddDays(-40));
        var recent = NewUser(null, Now);
        foreach (var user in new[] { old, oldWithPassword, recent })
        {
            Assert.True(await Store.TryAddAsync(user));
        }

        Assert.True(await Store.DeleteUnclaimedAsync(Now.AddDays(-30)) >= 1);

        Assert.Null(await Store.FindByNameAsync(old.Username));
        Assert.Null(await Store.FindByIdAsync(old.Id));
        Assert.Equal(oldWithPassword, await Store.FindByNameAsync(oldWithPassword.Username));
        Assert.Equal(recent, await Store.FindByNameAsync(recent.Username));
        Assert.True(await Store.TryAddAsync(NewUser(null) with { Username = old.Username }));
    }

    /// <summary>Concurrent claims of one name: exactly one wins.</summary>
    [Fact]
    public async Task ConcurrentClaimsOfOneNameHaveOneWinner()
    {
        var name = NewUser(null).Username;
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Store.TryAddAsync(NewUser(null) with { Username = name }))));
        Assert.Single(results, r => r);
    }

    private static UserAccount NewUser(string? hash, DateTimeOffset? createdAt = null) =>
        new(UserId.New(), "user_" + Guid.NewGuid().ToString("N")[..12], "Ana", hash, "bidder", createdAt ?? Now);
}

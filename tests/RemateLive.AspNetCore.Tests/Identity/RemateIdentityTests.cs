using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;
using RemateLive.InMemory;

namespace RemateLive.AspNetCore.Tests.Identity;

public sealed class RemateIdentityTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly InMemoryUserStore _store = new();
    private readonly RemateIdentity _identity;

    public RemateIdentityTests()
    {
        _identity = Create(_time);
    }

    private RemateIdentity Create(TimeProvider time, IDataProtectionProvider? keys = null, RemateLiveOptions? options = null)
    {
        var monitor = new FixedOptionsMonitor<RemateLiveOptions>(options ?? new RemateLiveOptions());
        return new RemateIdentity(
            _store,
            keys ?? new EphemeralDataProtectionProvider(),
            time,
            Options.Create(monitor.CurrentValue),
            new RemateRateLimits(new InMemoryRateLimiter(time), monitor),
            new PasswordBackoff(monitor, time));
    }

    [Fact]
    public async Task A_token_round_trips_to_the_same_user_and_a_tampered_one_is_rejected()
    {
        var result = await _identity.SignInAsync("Ana", "Ana P.", null, null, null, CancellationToken.None);

        var user = await _identity.ValidateTokenAsync(result.Token, default);
        Assert.Equal(result.User, user);
        Assert.Equal("ana", user!.Username);
        var tampered = result.Token![..^4] + (result.Token[^4] == 'A' ? "BBBB" : "AAAA");
        Assert.Null(await _identity.ValidateTokenAsync(tampered, default));
        Assert.Null(await _identity.ValidateTokenAsync("ana", default));
        Assert.Null(await _identity.ValidateTokenAsync(null, default));
    }

    [Fact]
    public async Task An_expired_token_is_rejected()
    {
        // Issued eight days ago with the default seven-day lifetime.
        var provider = new EphemeralDataProtectionProvider();
        var past = Create(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-8)), provider);
        var now = Create(_time, provider);
        var old = await past.SignInAsync("old_timer", null, null, null, null, CancellationToken.None);
        var fresh = await now.SignInAsync("new_timer", null, null, null, null, CancellationToken.None);

        Assert.Null(await now.ValidateTokenAsync(old.Token, default));
        Assert.NotNull(await now.ValidateTokenAsync(fresh.Token, default));
    }

    [Fact]
    public async Task A_token_from_another_key_ring_is_rejected()
    {
        var other = Create(_time);
        var result = await other.SignInAsync("elsewhere", null, null, null, null, CancellationToken.None);

        Assert.Null(await _identity.ValidateTokenAsync(result.Token, default));
    }

    [Fact]
    public async Task Passwords_are_stored_hashed_never_in_clear()
    {
        await _identity.SignInAsync("hashed", null, "p@ssw0rd!", null, null, CancellationToken.None);

        var account = await _store.FindByNameAsync("hashed");
        Assert.NotNull(account!.PasswordHash);
        Assert.DoesNotContain("p@ssw0rd!", account.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.UsernameTaken, (await _identity.SignInAsync("hashed", null, "wrong", null, null, CancellationToken.None)).Error?.Code);
        Assert.Null((await _identity.SignInAsync("HASHED", null, "p@ssw0rd!", null, null, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Invalid_names_are_VALIDATION_FAILED()
    {
        Assert.Equal(ErrorCodes.ValidationFailed, (await _identity.SignInAsync("x", "ok", null, null, null, CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await _identity.SignInAsync(null, "ok", null, null, null, CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await _identity.SignInAsync("good_name", "tab\there", null, null, null, CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public void A_host_principal_maps_to_a_stable_user_with_its_role()
    {
        ClaimsPrincipal Host(string name, params string[] roles) => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Cookies"));

        var first = _identity.FromPrincipal(Host("Maria.Jose"));
        var again = _identity.FromPrincipal(Host("Maria.Jose"));
        var admin = _identity.FromPrincipal(Host("boss", "admin"));

        Assert.Equal(first!.Id, again!.Id);
        Assert.Equal("maria.jose", first.Username);
        Assert.Equal("bidder", first.Role);
        Assert.Equal("admin", admin!.Role);
        Assert.Null(_identity.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Null(_identity.FromPrincipal(null));
    }

    [Fact]
    public void A_principal_from_our_own_token_keeps_its_ids()
    {
        var user = new RemateUser(UserId.New(), "pepe", "Pepe", "bidder");

        Assert.Equal(user, _identity.FromPrincipal(RemateIdentity.ToPrincipal(user, RemateAuthentication.Scheme)));
    }

    [Fact]
    public async Task Re_login_with_a_token_cannot_extend_the_session_past_its_absolute_lifetime()
    {
        var first = await _identity.SignInAsync("marathon", null, null, null, null, CancellationToken.None);
        var token = first.Token;
        for (var day = 0; day < 29; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
            var renewed = await _identity.SignInAsync("marathon", null, null, token, null, CancellationToken.None);
            Assert.Null(renewed.Error);
            token = renewed.Token;
        }

        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1)); // 30 days after the claim
        Assert.Null(await _identity.ValidateTokenAsync(token, default));
        // The expired token does not sign in: the passwordless name is free, so this claims it afresh.
        Assert.NotEqual(first.User!.Id, (await _identity.SignInAsync("marathon", null, null, token, null, CancellationToken.None)).User?.Id);
    }

    [Fact]
    public async Task An_expired_passwordless_account_is_reclaimed_under_a_new_id()
    {
        var original = await _identity.SignInAsync("squatter", null, null, null, null, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));

        var claimed = await _identity.SignInAsync("squatter", "New owner", null, null, null, CancellationToken.None);

        Assert.Null(claimed.Error);
        Assert.NotEqual(original.User!.Id, claimed.User!.Id);
        Assert.Null(await _identity.ValidateTokenAsync(original.Token, default));
    }

    [Fact]
    public async Task The_role_comes_from_the_store_and_logout_revokes_every_token()
    {
        var first = await _identity.SignInAsync("demoted", null, "a-long-password", null, null, CancellationToken.None);
        var second = await _identity.SignInAsync("demoted", null, "a-long-password", null, null, CancellationToken.None);
        var account = (await _store.FindByNameAsync("demoted"))!;
        Assert.True(await _store.TryUpdateAsync(account with { Role = RemateRoles.Admin }, account.SecurityStamp));
        _time.Advance(TimeSpan.FromSeconds(11)); // past the stamp cache

        Assert.Equal(RemateRoles.Admin, (await _identity.ValidateTokenAsync(first.Token, default))!.Role);

        Assert.True(await _identity.LogoutAsync(first.User!, default));
        Assert.Null(await _identity.ValidateTokenAsync(first.Token, default));
        Assert.Null(await _identity.ValidateTokenAsync(second.Token, default));
    }

    [Fact]
    public async Task Failed_passwords_back_off_exponentially_per_username()
    {
        await _identity.SignInAsync("guarded", null, "the-right-one", null, null, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ErrorCodes.UsernameTaken, (await _identity.SignInAsync("guarded", null, "wrong", null, null, CancellationToken.None)).Error?.Code);
        }

        var limited = await _identity.SignInAsync("guarded", null, "the-right-one", null, null, CancellationToken.None);
        Assert.Equal(ErrorCodes.RateLimited, limited.Error?.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ErrorCodes.UsernameTaken, (await _identity.SignInAsync("guarded", null, "wrong", null, null, CancellationToken.None)).Error?.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), (await _identity.SignInAsync("guarded", null, "the-right-one", null, null, CancellationToken.None)).RetryAfter);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null((await _identity.SignInAsync("guarded", null, "the-right-one", null, null, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task A_changed_admin_password_replaces_the_stored_hash_and_revokes_old_tokens()
    {
        await _identity.EnsureAdminAsync("boss", "first-password", default);
        var old = await _identity.SignInAsync("boss", null, "first-password", null, null, CancellationToken.None);

        await _identity.EnsureAdminAsync("boss", "second-password", default);

        Assert.Null(await _identity.ValidateTokenAsync(old.Token, default));
        Assert.Equal(ErrorCodes.UsernameTaken, (await _identity.SignInAsync("boss", null, "first-password", null, null, CancellationToken.None)).Error?.Code);
        Assert.Equal(RemateRoles.Admin, (await _identity.SignInAsync("boss", null, "second-password", null, null, CancellationToken.None)).User?.Role);
    }
}

/// <summary>An options monitor with one fixed value (pure-logic tests).</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

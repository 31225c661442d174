using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.InMemory;

namespace RemateLive.AspNetCore.Tests.Identity;

public sealed class RemateIdentityTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly InMemoryAuctionStore _store;
    private readonly RemateIdentity _identity;

    public RemateIdentityTests()
    {
        _store = new InMemoryAuctionStore(_time);
        _identity = new RemateIdentity(_store, new EphemeralDataProtectionProvider(), _time, Options.Create(new RemateLiveOptions()));
    }

    [Fact]
    public async Task A_token_round_trips_to_the_same_user_and_a_tampered_one_is_rejected()
    {
        var result = await _identity.SignInAsync("Ana", "Ana P.", null, null, CancellationToken.None);

        var user = _identity.ValidateToken(result.Token);
        Assert.Equal(result.User, user);
        Assert.Equal("ana", user!.Username);
        var tampered = result.Token![..^4] + (result.Token[^4] == 'A' ? "BBBB" : "AAAA");
        Assert.Null(_identity.ValidateToken(tampered));
        Assert.Null(_identity.ValidateToken("ana"));
        Assert.Null(_identity.ValidateToken(null));
    }

    [Fact]
    public async Task An_expired_token_is_rejected()
    {
        // Issued eight days ago with the default seven-day lifetime.
        var provider = new EphemeralDataProtectionProvider();
        var past = new RemateIdentity(_store, provider, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-8)), Options.Create(new RemateLiveOptions()));
        var now = new RemateIdentity(_store, provider, _time, Options.Create(new RemateLiveOptions()));
        var old = await past.SignInAsync("old_timer", null, null, null, CancellationToken.None);
        var fresh = await now.SignInAsync("new_timer", null, null, null, CancellationToken.None);

        Assert.Null(now.ValidateToken(old.Token));
        Assert.NotNull(now.ValidateToken(fresh.Token));
    }

    [Fact]
    public async Task A_token_from_another_key_ring_is_rejected()
    {
        var other = new RemateIdentity(_store, new EphemeralDataProtectionProvider(), _time, Options.Create(new RemateLiveOptions()));
        var result = await other.SignInAsync("elsewhere", null, null, null, CancellationToken.None);

        Assert.Null(_identity.ValidateToken(result.Token));
    }

    [Fact]
    public async Task Passwords_are_stored_hashed_never_in_clear()
    {
        await _identity.SignInAsync("hashed", null, "p@ssw0rd!", null, CancellationToken.None);

        var account = await _store.FindUserAsync("hashed");
        Assert.NotNull(account!.PasswordHash);
        Assert.DoesNotContain("p@ssw0rd!", account.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.UsernameTaken, (await _identity.SignInAsync("hashed", null, "wrong", null, CancellationToken.None)).Error?.Code);
        Assert.Null((await _identity.SignInAsync("HASHED", null, "p@ssw0rd!", null, CancellationToken.None)).Error);
    }

    [Fact]
    public async Task Invalid_names_are_VALIDATION_FAILED()
    {
        Assert.Equal(ErrorCodes.ValidationFailed, (await _identity.SignInAsync("x", "ok", null, null, CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await _identity.SignInAsync(null, "ok", null, null, CancellationToken.None)).Error?.Code);
        Assert.Equal(ErrorCodes.ValidationFailed, (await _identity.SignInAsync("good_name", "tab\there", null, null, CancellationToken.None)).Error?.Code);
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
}

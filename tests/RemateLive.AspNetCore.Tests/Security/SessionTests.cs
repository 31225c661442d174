using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 3 over HTTP: logout, password change, role from the store, absolute session lifetime.</summary>
public sealed class SessionTests : IClassFixture<RemateAppFactory>
{
    private readonly RemateAppFactory _app;

    public SessionTests(RemateAppFactory app) => _app = app;

    [Fact]
    public async Task Logout_revokes_every_token_of_the_caller()
    {
        var name = RemateAppFactory.UniqueName("leaver");
        var phone = await _app.LoginAsync(name, "a-long-password");
        var laptop = await _app.LoginAsync(name, "a-long-password");
        using var client = _app.CreateClient(phone);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/logout", null)).StatusCode);

        foreach (var token in new[] { phone, laptop })
        {
            using var revoked = _app.CreateClient(token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.PostAsync("/api/auth/logout", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.PostAsJsonAsync("/api/auth/login", new { username = name })).StatusCode);
        }
    }

    [Fact]
    public async Task Logout_needs_a_signed_in_caller()
    {
        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task A_password_change_revokes_old_tokens_and_returns_a_working_one()
    {
        var name = RemateAppFactory.UniqueName("changer");
        var old = await _app.LoginAsync(name, "first-password");
        using var client = _app.CreateClient(old);

        var wrong = await client.PostAsJsonAsync("/api/auth/password", new { current_password = "not-it", new_password = "second-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var tooShort = await client.PostAsJsonAsync("/api/auth/password", new { current_password = "first-password", new_password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);

        var changed = await client.PostAsJsonAsync("/api/auth/password", new { current_password = "first-password", new_password = "second-password" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var fresh = (await RemateAppFactory.ReadJsonAsync(changed))["token"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/auth/logout", null)).StatusCode);
        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { username = name, password = "first-password" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/login", new { username = name, password = "second-password" })).StatusCode);
        using var renewed = _app.CreateClient(fresh);
        Assert.Equal(HttpStatusCode.NoContent, (await renewed.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task A_demoted_admin_loses_admin_rights_without_a_new_token()
    {
        var name = RemateAppFactory.UniqueName("exadmin");
        var token = await _app.LoginAsync(name, "a-long-password");
        var users = _app.Services.GetRequiredService<IUserStore>();
        var account = (await users.FindByNameAsync(name))!;
        Assert.True(await users.TryUpdateAsync(account with { Role = "admin" }, account.SecurityStamp));
        _app.Time.Advance(TimeSpan.FromSeconds(11)); // past the node's stamp cache
        using var client = _app.CreateClient(token);
        var auction = RemateAppFactory.DefaultAuction(_app.Time.GetUtcNow());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/auctions", auction)).StatusCode);

        account = (await users.FindByNameAsync(name))!;
        Assert.True(await users.TryUpdateAsync(account with { Role = "bidder" }, account.SecurityStamp));
        _app.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/auctions", auction)).StatusCode);
    }

    [Fact]
    public async Task Bearer_re_login_cannot_extend_a_session_past_its_absolute_lifetime()
    {
        var name = RemateAppFactory.UniqueName("forever");
        var token = await _app.LoginAsync(name, "a-long-password");
        for (var week = 0; week < 4; week++)
        {
            _app.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromHours(1));
            using var client = _app.CreateClient(token);
            var renewed = await client.PostAsJsonAsync("/api/auth/login", new { username = name });
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
            token = (await RemateAppFactory.ReadJsonAsync(renewed))["token"]!.GetValue<string>();
        }

        _app.Time.Advance(TimeSpan.FromDays(2) + TimeSpan.FromHours(5)); // 30 days after the password sign-in
        using var expired = _app.CreateClient(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.PostAsJsonAsync("/api/auth/login", new { username = name })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.PostAsync("/api/auth/logout", null)).StatusCode);
    }
}

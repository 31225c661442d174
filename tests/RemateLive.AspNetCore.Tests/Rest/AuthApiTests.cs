using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

public sealed class AuthApiTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task Login_claims_a_new_username_and_returns_the_user_and_a_token()
    {
        using var client = app.CreateClient();
        var name = RemateAppFactory.UniqueName("Alberto");
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = name, display_name = "Alberto R." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RemateAppFactory.ReadJsonAsync(response);
        Assert.Equal(name.ToLowerInvariant(), body["username"]!.GetValue<string>());
        Assert.Equal("Alberto R.", body["display_name"]!.GetValue<string>());
        Assert.Equal("bidder", body["role"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["user_id"]!.GetValue<string>(), out _));
        Assert.False(string.IsNullOrEmpty(body["token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_claimed_username_without_password_or_token_is_USERNAME_TAKEN()
    {
        var name = RemateAppFactory.UniqueName("taken");
        await app.LoginAsync(name);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = name.ToUpperInvariant(), display_name = "Impostor" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "USERNAME_TAKEN");
    }

    [Fact]
    public async Task A_claimed_username_accepts_its_token_and_keeps_the_same_user_id()
    {
        var name = RemateAppFactory.UniqueName("again");
        using var anonymous = app.CreateClient();
        var first = await RemateAppFactory.ReadJsonAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { username = name, display_name = "Me" }));
        using var withToken = app.CreateClient(first["token"]!.GetValue<string>());

        var second = await withToken.PostAsJsonAsync("/api/auth/login", new { username = name, display_name = "Me again" });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await RemateAppFactory.ReadJsonAsync(second);
        Assert.Equal(first["user_id"]!.GetValue<string>(), body["user_id"]!.GetValue<string>());
        Assert.Equal("Me again", body["display_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_issued_for_another_user_does_not_unlock_a_username()
    {
        var victim = RemateAppFactory.UniqueName("victim");
        await app.LoginAsync(victim, password: "victim-secret");
        using var attacker = app.CreateClient(await app.LoginAsync(RemateAppFactory.UniqueName("attacker")));

        var response = await attacker.PostAsJsonAsync("/api/auth/login", new { username = victim, display_name = "Victim" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "USERNAME_TAKEN");
    }

    [Fact]
    public async Task A_password_protected_username_needs_the_right_password()
    {
        var name = RemateAppFactory.UniqueName("secret");
        var first = await app.LoginAsync(name, password: "correct horse");
        using var client = app.CreateClient();

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { username = name, display_name = "X", password = "wrong" });
        var right = await client.PostAsJsonAsync("/api/auth/login", new { username = name, display_name = "X", password = "correct horse" });

        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized, "USERNAME_TAKEN");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.NotEqual(first, (await RemateAppFactory.ReadJsonAsync(right))["token"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("this-username-is-far-too-long-for-us")]
    [InlineData("no spaces")]
    [InlineData("ñandú")]
    [InlineData("")]
    public async Task Usernames_outside_the_rules_are_rejected_with_the_field(string username)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, display_name = "Ok" });
        await ProblemAssert.IsValidationAsync(response, "username");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\u0007bell")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Display_names_outside_the_rules_are_rejected_with_the_field(string displayName)
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = RemateAppFactory.UniqueName("dn"), display_name = displayName });
        await ProblemAssert.IsValidationAsync(response, "display_name");
    }

    [Fact]
    public async Task A_missing_username_and_a_wrongly_typed_body_are_validation_errors()
    {
        using var client = app.CreateClient();
        var missing = await client.PostAsJsonAsync("/api/auth/login", new { display_name = "Nobody" });
        var wrongType = await client.PostAsync("/api/auth/login", new StringContent("""{"username": 42}""", Encoding.UTF8, "application/json"));
        var notJson = await client.PostAsync("/api/auth/login", new StringContent("{nope", Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationAsync(missing, "username");
        await ProblemAssert.IsValidationAsync(wrongType, "username");
        await ProblemAssert.IsValidationAsync(notJson, "body");
    }

    [Fact]
    public async Task The_seeded_admin_signs_in_with_the_configured_password_and_has_the_admin_role()
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", display_name = "Admin", password = RemateAppFactory.AdminPassword });
        var body = await RemateAppFactory.ReadJsonAsync(response);
        Assert.Equal("admin", body["role"]!.GetValue<string>());

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", display_name = "Admin", password = "guess" });
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized, "USERNAME_TAKEN");
    }

    [Fact]
    public async Task A_forged_bearer_token_is_not_authenticated()
    {
        var auction = await app.CreateAuctionAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged-token");

        var response = await client.PostAsJsonAsync($"/api/auctions/{auction["id"]}/bids", new { amount_cents = 1_000 });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
    }
}

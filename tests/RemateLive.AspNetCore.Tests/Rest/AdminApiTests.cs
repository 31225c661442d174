using System.Net;
using System.Net.Http.Json;
using System.Text;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

public sealed class AdminApiTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task Create_returns_201_with_Location_and_the_auction()
    {
        using var admin = await app.CreateAdminClientAsync();
        var now = app.Time.GetUtcNow();
        var response = await admin.PostAsJsonAsync("/api/auctions", new
        {
            title = "Tiered lot",
            description = "Soft close and buy now",
            image_url = "https://example.invalid/lot.png",
            currency = "USD",
            starting_price_cents = 5_000,
            increment = new { kind = "tiered", tiers = new[] { new { from_cents = 0, increment_cents = 100 }, new { from_cents = 10_000, increment_cents = 500 } } },
            buy_now_price_cents = 50_000,
            starts_at = now,
            ends_at = now.AddDays(1),
            soft_close = new { window_seconds = 60, extension_seconds = 30, max_extensions = 3 },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var auction = await RemateAppFactory.ReadJsonAsync(response);
        Assert.EndsWith($"/api/auctions/{auction["id"]}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("Tiered lot", auction["title"]!.GetValue<string>());
        Assert.Equal(50_000, auction["buy_now_price_cents"]!.GetValue<long>());
        Assert.Equal(5_000, auction["min_next_bid_cents"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(response.Headers.Location)).StatusCode);
    }

    [Fact]
    public async Task Admin_operations_need_a_signed_in_admin()
    {
        var auction = await app.CreateAuctionAsync();
        using var anonymous = app.CreateClient();
        using var bidder = await app.CreateBidderClientAsync();
        var body = RemateAppFactory.DefaultAuction(app.Time.GetUtcNow());

        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/auctions", body), HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
        await ProblemAssert.IsProblemAsync(await bidder.PostAsJsonAsync("/api/auctions", body), HttpStatusCode.Forbidden, "FORBIDDEN");
        await ProblemAssert.IsProblemAsync(await bidder.PostAsync($"/api/auctions/{auction["id"]}/close", null), HttpStatusCode.Forbidden, "FORBIDDEN");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsync($"/api/auctions/{auction["id"]}/cancel", null), HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
    }

    [Fact]
    public async Task Create_lists_every_invalid_and_missing_field()
    {
        using var admin = await app.CreateAdminClientAsync();

        var missing = await admin.PostAsJsonAsync("/api/auctions", new { description = "no title" });
        await ProblemAssert.IsValidationAsync(missing, "title", "currency", "starting_price_cents", "increment", "ends_at");

        var invalid = await admin.PostAsJsonAsync("/api/auctions", new
        {
            title = "",
            currency = "usd",
            starting_price_cents = -5,
            increment = new { kind = "fibonacci" },
            ends_at = app.Time.GetUtcNow().AddHours(-1),
        });
        await ProblemAssert.IsValidationAsync(invalid, "title", "currency", "starting_price_cents", "increment", "ends_at");

        var badIncrement = await admin.PostAsJsonAsync("/api/auctions", new
        {
            title = "x",
            currency = "USD",
            starting_price_cents = 100,
            increment = new { kind = "fixed" },
            ends_at = app.Time.GetUtcNow().AddHours(1),
            soft_close = new { window_seconds = 10 },
        });
        await ProblemAssert.IsValidationAsync(badIncrement, "soft_close");

        var wrongType = await admin.PostAsync("/api/auctions", new StringContent("""{"title":"x","starting_price_cents":"100"}""", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsValidationAsync(wrongType, "starting_price_cents");

        var fractional = await admin.PostAsync("/api/auctions", new StringContent("""{"title":"x","starting_price_cents":10.5}""", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsValidationAsync(fractional, "starting_price_cents");
    }

    [Fact]
    public async Task Close_and_cancel_end_an_auction_exactly_once()
    {
        var toClose = await app.CreateAuctionAsync();
        var toCancel = await app.CreateAuctionAsync();
        using var admin = await app.CreateAdminClientAsync();

        var closed = await RemateAppFactory.ReadJsonAsync(await admin.PostAsync($"/api/auctions/{toClose["id"]}/close", null));
        var cancelled = await RemateAppFactory.ReadJsonAsync(await admin.PostAsJsonAsync($"/api/auctions/{toCancel["id"]}/cancel", new { reason = "Damaged in transit" }));

        Assert.Equal("closed", closed["status"]!.GetValue<string>());
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/api/auctions/{toClose["id"]}/close", null), HttpStatusCode.Conflict, "AUCTION_CLOSED");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/api/auctions/{toClose["id"]}/cancel", null), HttpStatusCode.Conflict, "AUCTION_CLOSED");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync("/api/auctions/nope/close", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await ProblemAssert.IsProblemAsync(await admin.PostAsync($"/api/auctions/{Guid.NewGuid()}/cancel", null), HttpStatusCode.NotFound, "NOT_FOUND");

        using var client = app.CreateClient();
        var events = (await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{toCancel["id"]}/events"))).AsArray();
        Assert.Equal("auction_cancelled", Assert.Single(events)!["type"]!.GetValue<string>());
        Assert.Equal("Damaged in transit", events[0]!["payload"]!["reason"]!.GetValue<string>());

        // The audit trail: each admin action names its actor (the signed-in admin), on the event log.
        var me = await RemateAppFactory.ReadJsonAsync(await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = RemateAppFactory.AdminPassword }));
        var closeEvent = (await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{toClose["id"]}/events"))).AsArray().Single()!;
        foreach (var payload in new[] { events[0]!["payload"]!, closeEvent["payload"]! })
        {
            Assert.Equal(me["user_id"]!.GetValue<string>(), payload["actor_id"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(payload["actor_name"]!.GetValue<string>())); // the session's display name
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

public sealed class BidApiTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task An_accepted_bid_is_201_with_the_bid_object()
    {
        var auction = await app.CreateAuctionAsync();
        var name = RemateAppFactory.UniqueName("carla");
        using var bidder = app.CreateClient(await app.LoginAsync(name, displayName: "Carla"));

        var response = await bidder.PostAsJsonAsync($"/api/auctions/{auction["id"]}/bids", new { amount_cents = 1_000, version = 0 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var bid = await RemateAppFactory.ReadJsonAsync(response);
        Assert.Equal(auction["id"]!.GetValue<string>(), bid["auction_id"]!.GetValue<string>());
        Assert.Equal("Carla", bid["bidder_name"]!.GetValue<string>());
        Assert.Equal(1_000, bid["amount_cents"]!.GetValue<long>());
        Assert.Equal(1, bid["seq"]!.GetValue<long>());
        Assert.Equal("manual", bid["kind"]!.GetValue<string>());
        Assert.True(Guid.TryParse(bid["bid_id"]!.GetValue<string>(), out _));
    }

    [Fact]
    public async Task Business_rejections_are_422_with_the_code_and_the_current_price()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var alice = await app.CreateBidderClientAsync();
        using var admin = await app.CreateAdminClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000 })).StatusCode);

        var tooLow = await ProblemAssert.IsProblemAsync(
            await alice.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_050 }), HttpStatusCode.UnprocessableEntity, "BID_TOO_LOW");
        Assert.Equal(1_000, tooLow["current_price_cents"]!.GetValue<long>());
        Assert.Equal(1_100, tooLow["min_next_bid_cents"]!.GetValue<long>());
        Assert.Equal(1, tooLow["version"]!.GetValue<long>());

        await ProblemAssert.IsProblemAsync(
            await admin.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 5_000 }), HttpStatusCode.UnprocessableEntity, "SELLER_CANNOT_BID");

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/auctions/{id}/close", null)).StatusCode);
        await ProblemAssert.IsProblemAsync(
            await alice.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 9_000 }), HttpStatusCode.UnprocessableEntity, "AUCTION_CLOSED");
    }

    [Fact]
    public async Task A_scheduled_auction_rejects_bids_with_AUCTION_NOT_OPEN()
    {
        var now = app.Time.GetUtcNow();
        var auction = await app.CreateAuctionAsync(new
        {
            title = "Later",
            currency = "USD",
            starting_price_cents = 100,
            increment = new { kind = "fixed", amount_cents = 10 },
            starts_at = now.AddHours(1),
            ends_at = now.AddHours(2),
        });
        using var bidder = await app.CreateBidderClientAsync();

        await ProblemAssert.IsProblemAsync(
            await bidder.PostAsJsonAsync($"/api/auctions/{auction["id"]}/bids", new { amount_cents = 100 }), HttpStatusCode.UnprocessableEntity, "AUCTION_NOT_OPEN");
    }

    [Fact]
    public async Task Bidding_needs_a_signed_in_user_and_an_existing_auction()
    {
        var auction = await app.CreateAuctionAsync();
        using var anonymous = app.CreateClient();
        using var bidder = await app.CreateBidderClientAsync();

        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync($"/api/auctions/{auction["id"]}/bids", new { amount_cents = 1_000 }), HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
        await ProblemAssert.IsProblemAsync(await bidder.PostAsJsonAsync("/api/auctions/not-an-id/bids", new { amount_cents = 1_000 }), HttpStatusCode.NotFound, "NOT_FOUND");
        await ProblemAssert.IsProblemAsync(await bidder.PostAsJsonAsync($"/api/auctions/{Guid.NewGuid()}/bids", new { amount_cents = 1_000 }), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("""{}""", "amount_cents")]
    [InlineData("""{"amount_cents": "1000"}""", "amount_cents")]
    [InlineData("""{"amount_cents": 1000.5}""", "amount_cents")]
    [InlineData("""{"amount_cents": -1}""", "amount_cents")]
    [InlineData("""{"amount_cents": 0}""", "amount_cents")]
    [InlineData("""{"amount_cents": 100000000000000000000000}""", "amount_cents")]
    [InlineData("""{"amount_cents": 99999999999999999}""", "amount_cents")]
    [InlineData("""{"amount_cents": 2000, "max_amount_cents": 1500}""", "max_amount_cents")]
    [InlineData("""{"amount_cents": 2000, "version": "five"}""", "version")]
    [InlineData("""{"amount_cents": 2000, "idempotency_key": 7}""", "idempotency_key")]
    [InlineData("""[1, 2]""", "body")]
    [InlineData("""not json""", "body")]
    public async Task Malformed_bids_are_400_naming_the_field(string json, string field)
    {
        var auction = await app.CreateAuctionAsync();
        using var bidder = await app.CreateBidderClientAsync();

        var response = await bidder.PostAsync($"/api/auctions/{auction["id"]}/bids", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsValidationAsync(response, field);
        using var client = app.CreateClient();
        var after = await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{auction["id"]}"));
        Assert.Equal(0, after["bid_count"]!.GetValue<int>()); // nothing changed
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_response_and_places_one_bid()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var bidder = await app.CreateBidderClientAsync();

        var first = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_200, idempotency_key = "k-1" });
        var retry = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_200, idempotency_key = "k-1" });
        var rejected = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 10, idempotency_key = "k-2" });
        var rejectedRetry = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 99_999, idempotency_key = "k-2" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.UnprocessableEntity, "BID_TOO_LOW");
        await ProblemAssert.IsProblemAsync(rejectedRetry, HttpStatusCode.UnprocessableEntity, "BID_TOO_LOW");
        using var client = app.CreateClient();
        var after = await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{id}"));
        Assert.Equal(1, after["bid_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_stale_version_with_a_still_valid_amount_is_accepted()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var alice = await app.CreateBidderClientAsync();
        using var bob = await app.CreateBidderClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000, version = 0 })).StatusCode);

        var stale = await bob.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 2_000, version = 0 });

        Assert.Equal(HttpStatusCode.Created, stale.StatusCode);
        Assert.Equal(2, (await RemateAppFactory.ReadJsonAsync(stale))["seq"]!.GetValue<long>());
    }
}

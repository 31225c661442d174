using System.Net;
using System.Net.Http.Json;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

/// <summary>Small buckets on the fake clock: the limit bites, Retry-After says when, and time refills it.</summary>
public sealed class RateLimitApiTests(RateLimitApiTests.Factory app) : IClassFixture<RateLimitApiTests.Factory>
{
    public sealed class Factory : RemateAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["RemateLive:RateLimits:BidBurst"] = "2",
            ["RemateLive:RateLimits:BidsPerSecond"] = "0.5",
            ["RemateLive:RateLimits:ConnectionBurst"] = "20",
            ["RemateLive:RateLimits:ConnectionsPerSecond"] = "0.1",
        };
    }

    [Fact]
    public async Task Bids_beyond_the_bucket_are_429_RATE_LIMITED_with_Retry_After_until_it_refills()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var bidder = await app.CreateBidderClientAsync();

        Assert.Equal(HttpStatusCode.Created, (await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000, idempotency_key = "a" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_100 })).StatusCode);
        var limited = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_200 });

        var problem = await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(2, problem["retry_after_seconds"]!.GetValue<long>());

        // A retry of an already-decided key replays its outcome instead of being throttled.
        Assert.Equal(HttpStatusCode.Created, (await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000, idempotency_key = "a" })).StatusCode);

        app.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Created, (await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_200 })).StatusCode);
    }

    [Fact]
    public async Task Logins_from_one_address_are_limited_too()
    {
        using var client = app.CreateClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 25 && (last is null || last.StatusCode != HttpStatusCode.TooManyRequests); i++)
        {
            last = await client.PostAsJsonAsync("/api/auth/login", new { username = RemateAppFactory.UniqueName("many"), display_name = "Many" });
        }

        try
        {
            await ProblemAssert.IsProblemAsync(last!, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
            Assert.NotNull(last!.Headers.RetryAfter?.Delta);
        }
        finally
        {
            app.Time.Advance(TimeSpan.FromMinutes(5)); // refill the shared bucket for the other test in this class
        }
    }
}

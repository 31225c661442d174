using System.Net;
using System.Net.WebSockets;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>Token buckets on the socket: bids per user (<c>RATE_LIMITED</c>) and upgrades per IP (429 before the upgrade).</summary>
public sealed class WebSocketRateLimitTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync(o =>
    {
        o.RateLimits.BidBurst = 2;
        o.RateLimits.BidsPerSecond = 0.001;
        o.RateLimits.ConnectionBurst = 3;
        o.RateLimits.ConnectionsPerSecond = 0.001;
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Bids_over_the_users_bucket_get_rate_limited_and_connections_over_the_ips_bucket_get_429()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        await alice.BidAsync(1_000);
        await alice.NextAsync("bid_placed");
        await alice.BidAsync(1_100);
        await alice.NextAsync("bid_placed");
        await alice.BidAsync(1_200, idempotencyKey: "third");
        var limited = await alice.NextAsync("bid_error");
        Assert.Equal("RATE_LIMITED", limited.Str("code"));
        Assert.Equal("third", limited.Str("idempotency_key"));
        Assert.True(limited.Num("retry_after_seconds") >= 1);

        await using var second = await _host.ConnectAsync(auctionId);
        await using var third = await _host.ConnectAsync(auctionId);
        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(_host.SocketUri(auctionId), CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.HttpStatusCode);
        Assert.True(refused.HttpResponseHeaders!.ContainsKey("Retry-After"));

        // Refusals hurt nobody already connected.
        await second.SendAsync(new { type = "auth", payload = new { username = "bob", display_name = "Bob" } });
        await second.NextAsync("auth_ok");
    }
}

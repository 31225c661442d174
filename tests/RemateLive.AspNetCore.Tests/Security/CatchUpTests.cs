using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Tests.Realtime;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 7: a catch-up of any length streams with back-pressure; replays are rate limited per connection.</summary>
public sealed class CatchUpTests
{
    [Fact]
    public async Task Auth_with_last_seq_0_on_an_auction_with_650_events_gets_auth_ok_and_every_event()
    {
        await using var host = await RealtimeTestHost.StartAsync();
        var auctionId = await host.CreateAuctionAsync(startingPriceCents: 100, incrementCents: 1);
        await BidAsync(host, auctionId, 650);

        await using var late = await host.JoinAsync(auctionId, "latecomer", lastSeq: 0);

        await ExpectEveryEventAsync(late, 1, 650);
    }

    [Fact]
    public async Task A_tiny_queue_still_streams_a_long_catch_up_while_live_bids_arrive()
    {
        await using var host = await RealtimeTestHost.StartAsync(o => o.Realtime.SendQueueCapacity = 8);
        var auctionId = await host.CreateAuctionAsync(startingPriceCents: 100, incrementCents: 1);
        await BidAsync(host, auctionId, 300);

        await using var late = await host.JoinAsync(auctionId, "tiny_queue", lastSeq: 0);
        var live = BidAsync(host, auctionId, 100, firstAmount: 400, pause: TimeSpan.FromMilliseconds(2)); // committed while it catches up

        await ExpectEveryEventAsync(late, 1, 400);
        await live;
    }

    [Fact]
    public async Task Resume_is_rate_limited_per_connection()
    {
        await using var host = await RealtimeTestHost.StartAsync(o =>
        {
            o.Realtime.ReplayBurst = 2;
            o.Realtime.ReplaysPerSecond = 0.001;
        });
        var auctionId = await host.CreateAuctionAsync(startingPriceCents: 100, incrementCents: 1);
        await BidAsync(host, auctionId, 5);
        await using var socket = await host.JoinAsync(auctionId, "replayer");
        await socket.SendAsync(new { type = "resume", payload = new { last_seq = 3 } });
        Assert.Equal(4, (await socket.NextAsync("bid_placed")).Seq());
        Assert.Equal(5, (await socket.NextAsync("bid_placed")).Seq());
        await socket.SendAsync(new { type = "resume", payload = new { last_seq = 4 } });
        Assert.Equal(5, (await socket.NextAsync("bid_placed")).Seq());

        await socket.SendAsync(new { type = "resume", payload = new { last_seq = 0 } });
        var limited = await socket.NextNonPingAsync();

        Assert.Equal("error", limited.Type());
        Assert.Equal("RATE_LIMITED", limited.Str("code"));
        await socket.SendAsync(new { type = "pong" });
        await socket.BidAsync(105);
        Assert.Equal(6, (await socket.NextAsync("bid_placed")).Seq()); // still served
    }

    private static async Task BidAsync(RealtimeTestHost host, AuctionId auctionId, int count, long firstAmount = 100, TimeSpan? pause = null)
    {
        await Task.Yield();
        var placeBid = host.Services.GetRequiredService<PlaceBid>();
        var bidders = new[] { UserId.New(), UserId.New() };
        for (var i = 0; i < count; i++)
        {
            var outcome = await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidders[i % 2], $"Bidder {i % 2}", firstAmount + i));
            Assert.True(outcome.Accepted, outcome.Error?.Message);
            if (pause is { } p)
            {
                await Task.Delay(p); // live traffic at a pace a healthy client keeps up with (the live path drops slow readers by design)
            }
        }
    }

    private static async Task ExpectEveryEventAsync(TestSocket socket, long first, long last)
    {
        var expected = first;
        while (expected <= last)
        {
            var message = await socket.NextNonPingAsync();
            if (message.Type() is "user_joined" or "user_left")
            {
                continue;
            }

            Assert.Equal("bid_placed", message.Type());
            Assert.Equal(expected, message.Seq());
            expected++;
        }
    }
}

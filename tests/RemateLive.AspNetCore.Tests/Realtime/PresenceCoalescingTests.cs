using System.Net.WebSockets;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>Big rooms get at most one presence message per interval (the latest, current count); durable events never wait for presence.</summary>
public sealed class PresenceCoalescingTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync(o =>
    {
        o.Realtime.PresenceCoalesceThreshold = 2;
        o.Realtime.PresenceCoalesceInterval = TimeSpan.FromSeconds(1);
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Above_the_threshold_one_presence_message_per_interval_carries_the_latest_count_and_bids_are_not_held_back()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        await using var watcher = await _host.JoinAsync(auctionId, "watcher");
        await using var first = await _host.JoinAsync(auctionId, "first");
        var joined = await watcher.NextNonPingAsync(); // the first in the interval goes out at once
        Assert.Equal(("user_joined", "first", 2L), (joined.Type(), joined.Str("username"), joined.Num("online_count")));

        var late = new List<TestSocket>();
        foreach (var name in new[] { "second", "third", "fourth" })
        {
            late.Add(await _host.JoinAsync(auctionId, name));
        }

        // Within the interval: nothing about them yet, and a bid is not queued behind presence.
        await watcher.BidAsync(1_000);
        Assert.Equal(("bid_placed", 1L), await NextTypeAndSeqAsync(watcher));

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var latest = await watcher.NextNonPingAsync();
        Assert.Equal(("user_joined", "fourth", 5L), (latest.Type(), latest.Str("username"), latest.Num("online_count")));

        await late[^1].DisposeAsync(); // fourth leaves right after a message went out: held for the interval
        await AwaitOnlineCountAsync(auctionId, 4);
        await watcher.BidAsync(1_100);
        Assert.Equal(("bid_placed", 2L), await NextTypeAndSeqAsync(watcher));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var left = await watcher.NextNonPingAsync();
        Assert.Equal(("user_left", "fourth", 4L), (left.Type(), left.Str("username"), left.Num("online_count")));

        // Three presence messages reached the watcher for four joins and a leave.
        Assert.Equal(3, watcher.Received.Count(m => m.Type() is "user_joined" or "user_left"));
        foreach (var socket in late.SkipLast(1))
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_connection_that_is_behind_skips_presence_instead_of_being_dropped()
    {
        var connection = new BlockedConnection(capacity: 8);
        var presence = ServerMessages.Presence(new PresenceNotice(AuctionId.New(), "a", "A", true, 2, "node"));
        var bid = ServerMessages.Error(ErrorCodes.InvalidMessage, "stands in for a durable event");

        for (var i = 0; i < 4; i++)
        {
            Assert.True(connection.Enqueue(bid));
        }

        for (var i = 0; i < 100; i++)
        {
            connection.EnqueuePresence(presence); // half full: skipped, never an overflow
        }

        Assert.False(connection.IsAborted);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(connection.Enqueue(bid)); // durable messages still fit
        }

        Assert.False(connection.Enqueue(bid)); // a real overflow still drops the connection
        Assert.True(connection.IsAborted);
        Assert.True(connection.Closed);
    }

    private static async Task<(string, long)> NextTypeAndSeqAsync(TestSocket socket)
    {
        var message = await socket.NextNonPingAsync();
        return (message.Type(), message.Type() == "bid_placed" ? message.Seq() : -1);
    }

    private async Task AwaitOnlineCountAsync(AuctionId auctionId, long expected)
    {
        var tracker = (IPresenceTracker)_host.Services.GetService(typeof(IPresenceTracker))!;
        for (var i = 0; i < 200 && await tracker.CountAsync(auctionId) != expected; i++)
        {
            await Task.Delay(10); // the server handles the close asynchronously; no timer involved
        }

        Assert.Equal(expected, await tracker.CountAsync(auctionId));
    }

    /// <summary>A connection whose writer never runs: what is queued stays queued.</summary>
    private sealed class BlockedConnection(int capacity) : RealtimeConnection("blocked", "test", capacity)
    {
        public bool Closed { get; private set; }

        protected override ValueTask SendAsync(ServerMessage message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override void OnAbort(AbortReason reason) => Closed = true;
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.Redis.Internal;

namespace RemateLive.Redis.Tests;

public sealed class PresenceTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(10);
    private readonly string _prefix = TestRedis.NewPrefix("presence");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly List<RedisConnection> _connections = [];
    private readonly List<RedisPresenceTracker> _trackers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var t in _trackers)
        {
            await t.DisposeAsync();
        }

        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task UsersOnSeveralNodesCountOnce()
    {
        var room = AuctionId.New();
        var a = await NodeAsync();
        var b = await NodeAsync();

        Assert.Equal(new PresenceChange(true, 1), await a.JoinAsync(room, "ana", "a1"));
        Assert.Equal(new PresenceChange(false, 1), await b.JoinAsync(room, "ANA", "b1"));
        Assert.Equal(new PresenceChange(true, 2), await b.JoinAsync(room, "ben", "b2"));
        Assert.Equal(new PresenceChange(false, 2), await a.LeaveAsync(room, "ana", "a1"));
        Assert.Equal(new PresenceChange(true, 1), await b.LeaveAsync(room, "ana", "b1"));
        Assert.Equal(1, await a.CountAsync(room));
    }

    [Fact]
    public async Task LiveNodesKeepTheirUsersPastTheTimeToLive()
    {
        var room = AuctionId.New();
        var a = await NodeAsync();
        var b = await NodeAsync();
        await a.JoinAsync(room, "ana", "a1");
        await b.JoinAsync(room, "ben", "b1");

        await PassAsync(TimeSpan.FromMinutes(2), a, b);

        Assert.Equal(2, await b.CountAsync(room));
    }

    [Fact]
    public async Task UsersOfAKilledNodeStopCountingWithinTheTimeToLive()
    {
        var room = AuctionId.New();
        var a = await NodeAsync();
        var b = await NodeAsync();
        await a.JoinAsync(room, "ana", "a1");
        await a.JoinAsync(room, "carl", "a2");
        await b.JoinAsync(room, "ben", "b1");
        await b.JoinAsync(room, "carl", "b2");
        Assert.Equal(3, await b.CountAsync(room));

        await a.StopHeartbeatAsync(); // killed: no graceful leave, no more heartbeats
        await PassAsync(Ttl - Beat, b);
        Assert.Equal(3, await b.CountAsync(room)); // still within the bound
        await PassAsync(Beat + TimeSpan.FromSeconds(1), b);

        Assert.Equal(2, await b.CountAsync(room)); // ana gone; carl stays through node B
        Assert.Equal(new PresenceChange(true, 3), await b.JoinAsync(room, "ana", "b3"));
    }

    [Fact]
    public async Task AKilledNodesUsersAreReportedGoneExactlyOnceAcrossTheSurvivors()
    {
        var room = AuctionId.New();
        var a = await NodeAsync();
        var b = await NodeAsync();
        var c = await NodeAsync();
        var reports = new System.Collections.Concurrent.ConcurrentQueue<PresenceExpired>();
        foreach (var survivor in new[] { b, c })
        {
            survivor.OnUserExpired(e =>
            {
                reports.Enqueue(e);
                return Task.CompletedTask;
            });
        }

        await a.JoinAsync(room, "ana", "a1");
        await a.JoinAsync(room, "carl", "a2");
        await b.JoinAsync(room, "ben", "b1");
        await c.JoinAsync(room, "carl", "c1");
        await c.JoinAsync(room, "dora", "c2");

        await a.StopHeartbeatAsync(); // killed
        for (var i = 0; i < 6; i++)
        {
            _time.Advance(Beat);
            await Task.WhenAll(b.HeartbeatAsync(), c.HeartbeatAsync(), b.CountAsync(room).AsTask(), c.CountAsync(room).AsTask()); // racing purges
        }

        await Task.Delay(500); // reports run off the caller's path
        var gone = Assert.Single(reports); // carl stays (node C), ana leaves once
        Assert.Equal(new PresenceExpired(room, "ana", 3), gone);
        Assert.Equal(3, await b.CountAsync(room));
    }

    [Fact]
    public async Task AGracefulStopRemovesTheNodesEntriesAtOnce()
    {
        var room = AuctionId.New();
        var a = await NodeAsync();
        var b = await NodeAsync();
        await a.JoinAsync(room, "ana", "a1");
        await b.JoinAsync(room, "ben", "b1");

        await a.StopAsync(CancellationToken.None);

        Assert.Equal(1, await b.CountAsync(room));
    }

    [Fact]
    public async Task AfterAnOutageTheHeartbeatPutsTheNodesUsersBack()
    {
        var room = AuctionId.New();
        var a = await NodeAsync();
        var b = await NodeAsync();
        await a.JoinAsync(room, "ana", "a1");
        await b.JoinAsync(room, "ben", "b1");
        var db = await TestRedis.DatabaseAsync(_connections[0]);
        await db.KeyDeleteAsync([$"{_prefix}:presence:{{{room.Value:N}}}:connections", $"{_prefix}:presence:{{{room.Value:N}}}:users"]); // Redis lost its data
        Assert.Equal(0, await b.CountAsync(room));

        await a.HeartbeatAsync();
        await b.HeartbeatAsync();

        Assert.Equal(2, await b.CountAsync(room));
    }

    [Fact]
    public async Task UnreachableRedisCountsThisNodeOnly()
    {
        var connection = await TestRedis.ConnectAsync(_prefix, configuration: TestRedis.Unreachable);
        _connections.Add(connection);
        var tracker = new RedisPresenceTracker(connection, _time, NullLogger<RedisPresenceTracker>.Instance);
        _trackers.Add(tracker);
        var room = AuctionId.New();

        Assert.Equal(new PresenceChange(true, 1), await tracker.JoinAsync(room, "ana", "c1"));
        Assert.Equal(new PresenceChange(true, 2), await tracker.JoinAsync(room, "ben", "c2"));
        Assert.Equal(2, await tracker.CountAsync(room));
    }

    private async Task<RedisPresenceTracker> NodeAsync()
    {
        var connection = await TestRedis.ConnectAsync(_prefix, o =>
        {
            o.PresenceEntryTimeToLive = Ttl;
            o.PresenceHeartbeatInterval = Beat;
        });
        _connections.Add(connection);
        var tracker = new RedisPresenceTracker(connection, _time, NullLogger<RedisPresenceTracker>.Instance);
        _trackers.Add(tracker);
        return tracker;
    }

    // Advances the shared clock beat by beat; only the given (live) nodes send heartbeats.
    private async Task PassAsync(TimeSpan duration, params RedisPresenceTracker[] live)
    {
        for (var passed = TimeSpan.Zero; passed < duration; passed += Beat)
        {
            var step = duration - passed < Beat ? duration - passed : Beat;
            _time.Advance(step);
            foreach (var node in live)
            {
                await node.HeartbeatAsync();
            }
        }
    }
}

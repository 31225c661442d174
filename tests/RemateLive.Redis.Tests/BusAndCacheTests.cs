using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;
using RemateLive.Redis.Internal;

namespace RemateLive.Redis.Tests;

public sealed class BusAndCacheTests : IAsyncLifetime
{
    private readonly RedisConnections _redis = new("bus");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task MalformedMessagesAreDroppedAndLaterOnesStillArrive()
    {
        var connection = await ConnectAsync();
        var bus = new RedisEventBus(connection, TimeProvider.System, NullLogger<RedisEventBus>.Instance);
        var handler = new Handler();
        await using var sub = await bus.SubscribeAsync(handler);
        var subscriber = (await connection.GetAsync()).GetSubscriber();

        await subscriber.PublishAsync(connection.Keys.Events, "not json");
        await subscriber.PublishAsync(connection.Keys.Events, "[{\"type\":\"nope\"}]");
        await subscriber.PublishAsync(connection.Keys.Events, "[]");
        await subscriber.PublishAsync(connection.Keys.Presence, "{}");
        var auction = AuctionId.New();
        var closed = new AuctionClosed(auction, 4, DateTimeOffset.UnixEpoch, null, null, null, false, CloseReason.Ended);
        await bus.PublishAsync([closed]);

        var received = await handler.Events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(closed, Assert.Single(received));
        Assert.Equal(0, handler.Presence);
    }

    [Fact]
    public async Task PublishingWithoutRedisFailsFast()
    {
        var bus = new RedisEventBus(await ConnectAsync(TestRedis.Unreachable), TimeProvider.System, NullLogger<RedisEventBus>.Instance);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await bus.PublishAsync([new AuctionCancelled(AuctionId.New(), 1, DateTimeOffset.UnixEpoch, "x")]));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"Took {watch.Elapsed}.");
    }

    [Fact]
    public async Task HealthIsHealthyWithRedisAndDegradedWithout()
    {
        var registration = new HealthCheckRegistration("redis", _ => null!, HealthStatus.Degraded, null);
        var up = await new RedisHealthCheck(await ConnectAsync()).CheckHealthAsync(new HealthCheckContext { Registration = registration });
        var down = await new RedisHealthCheck(await ConnectAsync(TestRedis.Unreachable)).CheckHealthAsync(new HealthCheckContext { Registration = registration });

        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(HealthStatus.Degraded, down.Status);
    }

    private Task<RedisConnection> ConnectAsync(string? configuration = null) => _redis.ConnectAsync(configuration);

    private sealed class Handler : IAuctionBusHandler
    {
        private int _presence;

        public System.Threading.Channels.Channel<IReadOnlyList<AuctionEvent>> Events { get; } = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<AuctionEvent>>();

        public int Presence => _presence;

        public ValueTask OnEventsAsync(IReadOnlyList<AuctionEvent> events) => Events.Writer.WriteAsync(events);

        public ValueTask OnPresenceAsync(PresenceNotice notice)
        {
            Interlocked.Increment(ref _presence);
            return ValueTask.CompletedTask;
        }
    }
}

using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;
using RemateLive.Redis.Internal;

namespace RemateLive.Redis.Tests;

public sealed class StartWithoutRedisTests : IDisposable
{
    private readonly PrivateRedis _redis = new(); // not started yet: Redis is down

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task ANodeSubscribedWhileRedisWasDownReceivesOnceRedisIsUp()
    {
        var prefix = TestRedis.NewPrefix("late");
        await using var node = await TestRedis.ConnectAsync(prefix, configuration: _redis.Configuration);
        var bus = new RedisEventBus(node, TimeProvider.System, NullLogger<RedisEventBus>.Instance);
        var handler = new Handler();
        await using var subscription = await bus.SubscribeAsync(handler); // must not throw with Redis down
        Assert.False((await node.GetAsync()).IsConnected);

        await _redis.StartAsync();
        await using var peer = await TestRedis.ConnectAsync(prefix, configuration: _redis.Configuration);
        var peerBus = new RedisEventBus(peer, TimeProvider.System, NullLogger<RedisEventBus>.Instance);
        var auction = AuctionId.New();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<AuctionEvent>? received = null;
        while (received is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The subscription made while Redis was down never took effect.");
            if (peer.Connected is not null)
            {
                await peerBus.PublishAsync([new AuctionCancelled(auction, 1, DateTimeOffset.UnixEpoch, "test")]);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                received = await handler.Events.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.Equal(auction, Assert.Single(received).AuctionId);
    }

    private sealed class Handler : IAuctionBusHandler
    {
        public Channel<IReadOnlyList<AuctionEvent>> Events { get; } = Channel.CreateUnbounded<IReadOnlyList<AuctionEvent>>();

        public ValueTask OnEventsAsync(IReadOnlyList<AuctionEvent> events) => Events.Writer.WriteAsync(events);

        public ValueTask OnPresenceAsync(PresenceNotice notice) => ValueTask.CompletedTask;
    }
}

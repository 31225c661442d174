using System.Collections.Concurrent;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IAuctionEventBus"/> must honour: published events and presence notices
/// reach every subscriber (on any node), unsubscribing stops delivery, and one publisher's events of an
/// auction arrive in the order published. Implement <see cref="CreateBusAsync"/>; a distributed bus also
/// overrides <see cref="CreatePeerBusAsync"/> to return a second node on the same backplane. Tests only
/// look at auctions they created, so the backplane may carry other traffic.
/// </summary>
public abstract class EventBusComplianceTests : IAsyncLifetime
{
    private readonly List<object> _created = [];

    /// <summary>How long to wait for a delivery before failing.</summary>
    protected virtual TimeSpan DeliveryTimeout => TimeSpan.FromSeconds(10);

    /// <summary>Creates a bus (one node).</summary>
    protected abstract Task<IAuctionEventBus> CreateBusAsync();

    /// <summary>
    /// A bus of another node sharing <paramref name="first"/>'s backplane. A single-process bus returns
    /// <paramref name="first"/> itself (the default).
    /// </summary>
    protected virtual Task<IAuctionEventBus> CreatePeerBusAsync(IAuctionEventBus first) => Task.FromResult(first);

    /// <summary>Nothing to prepare by default.</summary>
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Disposes every bus created through this class that is disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        foreach (var bus in _created.Distinct())
        {
            await Subjects.DisposeAsync(bus);
        }
    }

    /// <summary>Events published on one node reach subscribers on every node, the publisher's included.</summary>
    [Fact]
    public async Task PublishedEventsReachEverySubscriber()
    {
        var (a, b) = await CreatePairAsync();
        var auction = AuctionId.New();
        using var onA = new RecordingHandler(auction);
        using var onB = new RecordingHandler(auction);
        await using var subA = await a.SubscribeAsync(onA);
        await using var subB = await b.SubscribeAsync(onB);

        var events = Extended(auction, 1, 3);
        await a.PublishAsync(events);

        Assert.Equal(events, await onA.WaitForEventsAsync(3, DeliveryTimeout));
        Assert.Equal(events, await onB.WaitForEventsAsync(3, DeliveryTimeout));
    }

    /// <summary>Presence notices reach subscribers on every node.</summary>
    [Fact]
    public async Task PresenceReachesEverySubscriber()
    {
        var (a, b) = await CreatePairAsync();
        var auction = AuctionId.New();
        using var onA = new RecordingHandler(auction);
        using var onB = new RecordingHandler(auction);
        await using var subA = await a.SubscribeAsync(onA);
        await using var subB = await b.SubscribeAsync(onB);

        var notice = new PresenceNotice(auction, "ana", "Ana", true, 3, "node-a");
        await b.PublishPresenceAsync(notice);

        Assert.Equal(notice, Assert.Single(await onA.WaitForPresenceAsync(1, DeliveryTimeout)));
        Assert.Equal(notice, Assert.Single(await onB.WaitForPresenceAsync(1, DeliveryTimeout)));
    }

    /// <summary>After disposing its subscription a handler receives nothing more.</summary>
    [Fact]
    public async Task UnsubscribeStopsDelivery()
    {
        var (a, b) = await CreatePairAsync();
        var auction = AuctionId.New();
        using var leaving = new RecordingHandler(auction);
        using var staying = new RecordingHandler(auction);
        var subLeaving = await b.SubscribeAsync(leaving);
        await using var subStaying = await b.SubscribeAsync(staying);

        await a.PublishAsync(Extended(auction, 1, 1));
        await leaving.WaitForEventsAsync(1, DeliveryTimeout);
        await subLeaving.DisposeAsync();
        await a.PublishAsync(Extended(auction, 2, 1));
        await a.PublishPresenceAsync(new PresenceNotice(auction, "ana", "Ana", true, 1, "node-a"));
        // The staying handler seeing everything proves the later traffic was delivered.
        await a.PublishAsync(Extended(auction, 3, 1));
        await staying.WaitForEventsAsync(3, DeliveryTimeout);
        await staying.WaitForPresenceAsync(1, DeliveryTimeout);

        Assert.Equal(new[] { 1L }, leaving.Events.Select(e => e.Seq));
        Assert.Empty(leaving.Presence);
    }

    /// <summary>One publisher's events of an auction arrive in the order published, none lost or repeated.</summary>
    [Fact]
    public async Task OnePublishersOrderIsPreserved()
    {
        var (a, b) = await CreatePairAsync();
        var auction = AuctionId.New();
        var other = AuctionId.New();
        using var handler = new RecordingHandler(auction, other);
        await using var sub = await b.SubscribeAsync(handler);

        for (var seq = 1; seq <= 200; seq += 2)
        {
            await a.PublishAsync(Extended(auction, seq, 2));
            await a.PublishAsync(Extended(other, seq, 1));
        }

        var received = await handler.WaitForEventsAsync(300, DeliveryTimeout);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), received.Where(e => e.AuctionId == auction).Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)(1 + (2 * i))), received.Where(e => e.AuctionId == other).Select(e => e.Seq));
    }

    private async Task<(IAuctionEventBus A, IAuctionEventBus B)> CreatePairAsync()
    {
        var a = await CreateBusAsync();
        _created.Add(a);
        var b = await CreatePeerBusAsync(a);
        _created.Add(b);
        return (a, b);
    }

    private static List<AuctionEvent> Extended(AuctionId auction, int fromSeq, int count) =>
        [.. Enumerable.Range(fromSeq, count).Select(seq => (AuctionEvent)new AuctionExtended(
            auction, seq, new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 13, 0, 0, TimeSpan.Zero).AddSeconds(seq), seq))];

    // Records traffic of the auctions it watches; waiting uses a signal, not sleeps.
    private sealed class RecordingHandler(params AuctionId[] watched) : IAuctionBusHandler, IDisposable
    {
        private readonly ConcurrentQueue<AuctionEvent> _events = new();
        private readonly ConcurrentQueue<PresenceNotice> _presence = new();
        private readonly SemaphoreSlim _changed = new(0);

        public IReadOnlyList<AuctionEvent> Events => [.. _events];

        public void Dispose() => _changed.Dispose();

        public IReadOnlyList<PresenceNotice> Presence => [.. _presence];

        public ValueTask OnEventsAsync(IReadOnlyList<AuctionEvent> events)
        {
            foreach (var e in events.Where(e => watched.Contains(e.AuctionId)))
            {
                _events.Enqueue(e);
            }

            _changed.Release();
            return ValueTask.CompletedTask;
        }

        public ValueTask OnPresenceAsync(PresenceNotice notice)
        {
            if (watched.Contains(notice.AuctionId))
            {
                _presence.Enqueue(notice);
            }

            _changed.Release();
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<AuctionEvent>> WaitForEventsAsync(int count, TimeSpan timeout) => WaitAsync(() => Events, count, timeout, "events");

        public Task<IReadOnlyList<PresenceNotice>> WaitForPresenceAsync(int count, TimeSpan timeout) => WaitAsync(() => Presence, count, timeout, "presence notices");

        private async Task<IReadOnlyList<T>> WaitAsync<T>(Func<IReadOnlyList<T>> read, int count, TimeSpan timeout, string what)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (read().Count < count)
            {
                try
                {
                    await _changed.WaitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"Expected {count} {what} within {timeout}, got {read().Count}.");
                }
            }

            return read();
        }
    }
}

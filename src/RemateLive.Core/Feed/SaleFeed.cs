using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemateLive.Ports;
using RemateLive.Sales;
using RemateLive.Sequencing;

namespace RemateLive.Feed;

/// <summary>Receives a sale's events in seq order, once each. Must not block (enqueue and return).</summary>
public interface ISaleFeedListener
{
    /// <summary>Events committed after the last one delivered, gap-free.</summary>
    void OnEvents(IReadOnlyList<SaleEvent> events);
}

/// <summary>
/// One ordered stream per watched sale on this node. The local writer delivers what it commits, then
/// shares it on the <see cref="ISaleEventBus"/>, which is how another node's commits reach this node's
/// watchers at once. Every <see cref="BiddingOptions.GapCheckInterval"/> the feed also compares each
/// watched sale's stored seq with the last one delivered and fills the difference from the store (a lost
/// message, a bus that is down). Duplicates are dropped and holes filled, so listeners always see seq
/// <c>n+1</c> after <c>n</c>.
/// </summary>
public sealed class SaleFeed : BackgroundService
{
    private const int Page = 256;
    private readonly ConcurrentDictionary<SaleId, Watch> _watches = new();
    private readonly ISaleStore _store;
    private readonly ISaleEventBus _bus;
    private readonly BiddingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SaleFeed> _logger;
    private IAsyncDisposable? _subscription;

    /// <summary>Creates the feed (registered by <c>AddRemateLiveCore()</c>).</summary>
    public SaleFeed(ISaleStore store, ISaleEventBus bus, BiddingOptions options, TimeProvider time, ILogger<SaleFeed> logger)
    {
        _store = store;
        _bus = bus;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Adds <paramref name="listener"/>: it sees every event after <paramref name="knownSeq"/> that is
    /// delivered from now on (the caller reads older ones from the store). Dispose to stop.
    /// </summary>
    public IDisposable Subscribe(SaleId saleId, long knownSeq, ISaleFeedListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (true)
        {
            var watch = _watches.GetOrAdd(saleId, static _ => new Watch());
            lock (watch)
            {
                if (!_watches.TryGetValue(saleId, out var current) || !ReferenceEquals(current, watch))
                {
                    continue; // its last listener just left and it was dropped: take a fresh one
                }

                if (watch.Listeners.Length == 0 && watch.LastSeq < knownSeq)
                {
                    watch.LastSeq = knownSeq;
                }

                watch.Listeners = [.. watch.Listeners, listener];
            }

            return new Subscription(this, saleId, watch, listener);
        }
    }

    /// <summary>Delivers events committed on this node (called by the sale writer, before it answers its callers).</summary>
    internal async Task DeliverAsync(SaleId saleId, IReadOnlyList<SaleEvent> events)
    {
        if (!_watches.TryGetValue(saleId, out var watch) || events.Count == 0)
        {
            return;
        }

        if (events[0].Seq > Volatile.Read(ref watch.LastSeq) + 1)
        {
            await CatchUpAsync(saleId, watch, events[0].Seq - 1);
        }

        Deliver(saleId, watch, events);
    }

    /// <summary>
    /// Publishes events committed on this node to the other nodes (called by the sale writer after it
    /// answered its callers). The commit already happened: a failing bus is logged, and the other nodes'
    /// gap check delivers the events later.
    /// </summary>
    internal async Task ShareAsync(SaleId saleId, IReadOnlyList<SaleEvent> events)
    {
        try
        {
            await _bus.PublishAsync(events);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SaleLog.BusFailed(_logger, ex, saleId);
        }
    }

    /// <summary>Subscribes to the bus before the gap check starts.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await _bus.SubscribeAsync(new BusHandler(this), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Interlocked.Exchange(ref _subscription, null) is { } subscription)
        {
            await subscription.DisposeAsync();
        }
    }

    // Events from the bus (any node's, this one's included): a duplicate is dropped, a hole filled from the store.
    private async ValueTask OnBusEventsAsync(IReadOnlyList<SaleEvent> events)
    {
        if (events.Count == 0 || _watches.IsEmpty)
        {
            return;
        }

        var saleId = events[0].SaleId;
        try
        {
            await DeliverAsync(saleId, events.All(e => e.SaleId == saleId) ? events : [.. events.Where(e => e.SaleId == saleId)]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SaleLog.CatchUpFailed(_logger, ex, saleId); // the gap check retries
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.GapCheckInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (id, watch) in _watches)
            {
                try
                {
                    await CatchUpAsync(id, watch, long.MaxValue);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SaleLog.CatchUpFailed(_logger, ex, id);
                }
            }
        }
    }

    private async Task CatchUpAsync(SaleId saleId, Watch watch, long upTo)
    {
        await watch.CatchUp.WaitAsync();
        try
        {
            while (Volatile.Read(ref watch.LastSeq) < upTo)
            {
                var page = await _store.GetEventsAsync(saleId, Volatile.Read(ref watch.LastSeq), Page);
                var wanted = page.Where(e => e.Seq <= upTo).ToArray();
                if (wanted.Length == 0)
                {
                    return;
                }

                Deliver(saleId, watch, wanted);
                if (page.Count < Page)
                {
                    return;
                }
            }
        }
        finally
        {
            watch.CatchUp.Release();
        }
    }

    private void Deliver(SaleId saleId, Watch watch, IReadOnlyList<SaleEvent> events)
    {
        ISaleFeedListener[] listeners;
        SaleEvent[] fresh;
        lock (watch)
        {
            fresh = [.. events.Where(e => e.Seq > watch.LastSeq)];
            if (fresh.Length == 0 || fresh[0].Seq != watch.LastSeq + 1)
            {
                return; // a duplicate, or a hole the next catch-up fills
            }

            watch.LastSeq = fresh[^1].Seq;
            listeners = watch.Listeners;
            foreach (var listener in listeners)
            {
                try
                {
                    listener.OnEvents(fresh);
                }
                catch (Exception ex)
                {
                    SaleLog.ListenerFailed(_logger, ex, saleId);
                }
            }
        }
    }

    private void Unsubscribe(SaleId saleId, Watch watch, ISaleFeedListener listener)
    {
        lock (watch)
        {
            watch.Listeners = [.. watch.Listeners.Where(l => !ReferenceEquals(l, listener))];
            if (watch.Listeners.Length == 0)
            {
                _watches.TryRemove(new KeyValuePair<SaleId, Watch>(saleId, watch));
            }
        }
    }

    private sealed class BusHandler(SaleFeed feed) : ISaleBusHandler
    {
        public ValueTask OnEventsAsync(IReadOnlyList<SaleEvent> events) => feed.OnBusEventsAsync(events);
    }

    internal sealed class Watch
    {
        public long LastSeq;

        public ISaleFeedListener[] Listeners = [];

        public SemaphoreSlim CatchUp { get; } = new(1, 1);
    }

    private sealed class Subscription(SaleFeed feed, SaleId saleId, Watch watch, ISaleFeedListener listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(saleId, watch, listener);
            }
        }
    }
}

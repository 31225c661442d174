using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;

namespace RemateLive.Feed;

/// <summary>Receives an auction's events in seq order (no gaps, no duplicates) and its presence notices.</summary>
public interface IAuctionFeedListener
{
    /// <summary>The next event. Must not block: enqueue and return.</summary>
    ValueTask OnEventAsync(AuctionEvent auctionEvent);

    /// <summary>Someone joined or left (any node).</summary>
    ValueTask OnPresenceAsync(PresenceNotice notice);
}

/// <summary>
/// This node's single ordered stream of auction events, feeding every transport (WebSocket and SignalR
/// alike). Events arrive from local commits and from the bus, possibly twice, late or with holes; the feed
/// drops what it already delivered, and fills holes from the store before delivering later events. A
/// periodic check against the store covers a bus that lost the last message or is down.
/// </summary>
public sealed partial class AuctionFeed(
    IAuctionStore store,
    IAuctionEventBus bus,
    BiddingOptions options,
    TimeProvider time,
    ILogger<AuctionFeed> logger) : IAuctionBusHandler, IHostedService, IAsyncDisposable
{
    private const int Page = 500;
    private readonly ConcurrentDictionary<AuctionId, Channel> _channels = new();
    private IAsyncDisposable? _subscription;
    private CancellationTokenSource? _stopping;
    private Task? _catchUpLoop;

    /// <summary>This node's id; presence notices it published itself are not delivered twice.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Delivers to <paramref name="listener"/> every event of <paramref name="auctionId"/> committed after
    /// this call, in seq order, none twice. Catching up on older events is the caller's (a room reads them
    /// from the store while holding live ones back). Dispose the result to stop.
    /// </summary>
    public async Task<IAsyncDisposable> SubscribeAsync(AuctionId auctionId, IAuctionFeedListener listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (true)
        {
            var channel = _channels.GetOrAdd(auctionId, static _ => new Channel());
            await channel.Gate.WaitAsync(cancellationToken);
            try
            {
                if (channel.Removed)
                {
                    continue; // lost a race with the last unsubscribe; take the fresh channel
                }

                if (!channel.Initialized)
                {
                    channel.LastSeq = (await store.GetAuctionAsync(auctionId, cancellationToken))?.Version ?? 0;
                    channel.Initialized = true;
                }

                channel.Listeners = [.. channel.Listeners, listener];
            }
            finally
            {
                channel.Gate.Release();
            }

            return new Subscription(this, auctionId, channel, listener);
        }
    }

    /// <summary>Delivers committed events (from a local commit or the bus) to this node's listeners.</summary>
    public async Task DeliverAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0 || _channels.IsEmpty)
        {
            return; // nobody watches anything here
        }

        // A local commit carries one auction's events in seq order: no grouping nor sorting (hot path).
        if (IsOneAuctionInSeqOrder(events))
        {
            await DeliverToChannelAsync(events[0].AuctionId, events, cancellationToken);
            return;
        }

        foreach (var group in events.GroupBy(e => e.AuctionId))
        {
            await DeliverToChannelAsync(group.Key, [.. group.OrderBy(e => e.Seq)], cancellationToken);
        }
    }

    private static bool IsOneAuctionInSeqOrder(IReadOnlyList<AuctionEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].AuctionId != events[0].AuctionId || events[i].Seq <= events[i - 1].Seq)
            {
                return false;
            }
        }

        return true;
    }

    // events: one auction's, in seq order.
    private async Task DeliverToChannelAsync(AuctionId id, IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken)
    {
        if (!_channels.TryGetValue(id, out var channel))
        {
            return; // nobody watches it here
        }

        await channel.Gate.WaitAsync(cancellationToken);
        try
        {
            if (channel.Removed || !channel.Initialized)
            {
                return;
            }

            foreach (var e in events)
            {
                if (e.Seq <= channel.LastSeq)
                {
                    continue;
                }

                if (e.Seq > channel.LastSeq + 1)
                {
                    LogGap(logger, e.AuctionId, channel.LastSeq, e.Seq);
                    await FillAsync(id, channel, e.Seq - 1, cancellationToken);
                }

                if (e.Seq == channel.LastSeq + 1)
                {
                    await DeliverToAllAsync(channel, e);
                }
            }
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    /// <summary>Delivers a presence notice to this node's listeners of that auction.</summary>
    public async Task DeliverPresenceAsync(PresenceNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (_channels.TryGetValue(notice.AuctionId, out var channel))
        {
            foreach (var listener in channel.Listeners)
            {
                try
                {
                    await listener.OnPresenceAsync(notice);
                }
                catch (Exception ex)
                {
                    LogListenerFailed(logger, ex, notice.AuctionId);
                }
            }
        }
    }

    /// <summary>Compares every watched auction with the store and delivers what the bus missed.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        foreach (var (id, channel) in _channels)
        {
            var state = await store.GetAuctionAsync(id, cancellationToken);
            if (state is null || state.Version <= channel.LastSeq)
            {
                continue;
            }

            await channel.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!channel.Removed && channel.Initialized)
                {
                    await FillAsync(id, channel, state.Version, cancellationToken);
                }
            }
            finally
            {
                channel.Gate.Release();
            }
        }
    }

    ValueTask IAuctionBusHandler.OnEventsAsync(IReadOnlyList<AuctionEvent> events) => new(DeliverAsync(events));

    ValueTask IAuctionBusHandler.OnPresenceAsync(PresenceNotice notice) =>
        notice.OriginNode == NodeId ? ValueTask.CompletedTask : new(DeliverPresenceAsync(notice));

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = await bus.SubscribeAsync(this, cancellationToken);
        _stopping = new CancellationTokenSource();
        _catchUpLoop = CatchUpLoopAsync(_stopping.Token);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is not null)
        {
            await _stopping.CancelAsync();
        }

        if (_catchUpLoop is not null)
        {
            await _catchUpLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
            _subscription = null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping?.Dispose();
        _stopping = null; // the container disposes this singleton twice (as AuctionFeed and as IHostedService)
    }

    private async Task CatchUpLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.GapCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await CatchUpAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCatchUpFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Caller holds the channel's gate.
    private async Task FillAsync(AuctionId id, Channel channel, long upTo, CancellationToken ct)
    {
        while (channel.LastSeq < upTo)
        {
            var missing = await store.GetEventsAsync(id, channel.LastSeq, Page, ct);
            var before = channel.LastSeq;
            foreach (var e in missing)
            {
                if (e.Seq == channel.LastSeq + 1 && e.Seq <= upTo)
                {
                    await DeliverToAllAsync(channel, e);
                }
            }

            if (channel.LastSeq == before)
            {
                return; // the store has nothing usable yet (lagging, or not gap-free): never spin holding the gate
            }
        }
    }

    private async Task DeliverToAllAsync(Channel channel, AuctionEvent e)
    {
        channel.LastSeq = e.Seq;
        foreach (var listener in channel.Listeners)
        {
            await SafeDeliverAsync(listener, e);
        }
    }

    private async Task SafeDeliverAsync(IAuctionFeedListener listener, AuctionEvent e)
    {
        try
        {
            await listener.OnEventAsync(e);
        }
        catch (Exception ex)
        {
            // One broken listener must not starve the others.
            LogListenerFailed(logger, ex, e.AuctionId);
        }
    }

    private async ValueTask UnsubscribeAsync(AuctionId id, Channel channel, IAuctionFeedListener listener)
    {
        await channel.Gate.WaitAsync();
        try
        {
            channel.Listeners = [.. channel.Listeners.Where(l => !ReferenceEquals(l, listener))];
            if (channel.Listeners.Length == 0 && !channel.Removed)
            {
                channel.Removed = true;
                _channels.TryRemove(new KeyValuePair<AuctionId, Channel>(id, channel));
            }
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Auction {AuctionId}: gap after seq {LastSeq} (got {Seq}); filling from the store.")]
    private static partial void LogGap(ILogger logger, AuctionId auctionId, long lastSeq, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A feed listener of auction {AuctionId} failed.")]
    private static partial void LogListenerFailed(ILogger logger, Exception ex, AuctionId auctionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catching up with the store failed; retrying on the next tick.")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception ex);

    private sealed class Channel
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long LastSeq { get; set; }

        public bool Initialized { get; set; }

        public bool Removed { get; set; }

        public IAuctionFeedListener[] Listeners { get; set; } = [];
    }

    private sealed class Subscription(AuctionFeed feed, AuctionId id, Channel channel, IAuctionFeedListener listener) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? feed.UnsubscribeAsync(id, channel, listener) : ValueTask.CompletedTask;
    }
}

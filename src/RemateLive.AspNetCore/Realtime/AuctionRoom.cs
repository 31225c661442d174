using RemateLive.AspNetCore.Diagnostics;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Feed;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One auction's room on this node: a single feed subscription whose events are serialized once and
/// handed to every member's queue in one loop. Presence in big rooms is coalesced: above
/// <c>Realtime:PresenceCoalesceThreshold</c> connections at most one <c>user_joined</c>/<c>user_left</c>
/// (the latest, with the current <c>online_count</c>) goes out per <c>Realtime:PresenceCoalesceInterval</c>,
/// so a join storm costs O(N) messages per interval instead of O(N) per join.
/// </summary>
internal sealed class AuctionRoom : IAuctionFeedListener
{
    private readonly RoomRegistry _registry;
    private readonly Lock _gate = new();
    private readonly HashSet<RoomMembership> _members = [];
    private readonly Lazy<Task<IAsyncDisposable>> _subscription;
    private RoomMembership[]? _snapshot;
    private PresenceNotice? _pendingPresence;
    private ITimer? _presenceTimer;
    private long _lastPresenceTimestamp;
    private bool _presenceSent;
    private bool _closed;

    public AuctionRoom(RoomRegistry registry, AuctionId auctionId)
    {
        _registry = registry;
        AuctionId = auctionId;

        // Live events only (afterSeq = max): each member replays what it missed from the store itself.
        _subscription = new(() => registry.Feed.SubscribeAsync(auctionId, this));
    }

    public AuctionId AuctionId { get; }

    internal RoomRegistry Registry => _registry;

    /// <summary>This node's connections in the room.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _members.Count;
            }
        }
    }

    /// <summary>Completes once the room receives live events (the first member starts the subscription).</summary>
    public Task SubscribedAsync(CancellationToken cancellationToken) => _subscription.Value.WaitAsync(cancellationToken);

    // Called under the registry's lock.
    public void Add(RoomMembership membership)
    {
        lock (_gate)
        {
            _members.Add(membership);
            _snapshot = null;
        }
    }

    /// <summary>Removes a member (under the registry's lock); returns how many are left.</summary>
    public int Remove(RoomMembership membership)
    {
        lock (_gate)
        {
            if (_members.Remove(membership))
            {
                _snapshot = null;
            }

            return _members.Count;
        }
    }

    /// <summary>The room emptied: stop receiving.</summary>
    public async Task CloseAsync()
    {
        lock (_gate)
        {
            _closed = true;
            _presenceTimer?.Dispose();
            _presenceTimer = null;
            _pendingPresence = null;
        }

        if (_subscription.IsValueCreated)
        {
            try
            {
                await (await _subscription.Value).DisposeAsync();
            }
            catch (Exception) when (_subscription.Value.IsFaulted || _subscription.Value.IsCanceled)
            {
                // Never subscribed: nothing to undo.
            }
        }
    }

    public ValueTask OnEventAsync(AuctionEvent auctionEvent)
    {
        var started = _registry.Time.GetTimestamp();
        using var activity = RemateTracing.StartFanOut(AuctionId, auctionEvent.Seq);
        var members = Members();
        activity?.SetTag("remate_live.fan_out.recipients", members.Length);
        var broadcast = new EventBroadcast(auctionEvent, _registry.Time.GetUtcNow());
        foreach (var member in members)
        {
            member.Deliver(broadcast);
        }

        _registry.Metrics.FanOut(_registry.Time.GetElapsedTime(started), members.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnPresenceAsync(PresenceNotice notice)
    {
        var options = _registry.Options;
        var now = _registry.Time.GetTimestamp();
        lock (_gate)
        {
            if (_closed)
            {
                return ValueTask.CompletedTask;
            }

            var coalesce = _members.Count >= options.PresenceCoalesceThreshold;
            var due = _presenceSent ? options.PresenceCoalesceInterval - _registry.Time.GetElapsedTime(_lastPresenceTimestamp, now) : TimeSpan.Zero;
            if (_pendingPresence is not null || (coalesce && due > TimeSpan.Zero))
            {
                // Too soon after the last one: keep only the latest; the timer sends it when the interval is up.
                _pendingPresence = notice;
                _presenceTimer ??= _registry.Time.CreateTimer(static s => ((AuctionRoom)s!).FlushPresence(), this, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                return ValueTask.CompletedTask;
            }

            if (coalesce)
            {
                // Small rooms send every notice; the interval only starts counting once coalescing applies.
                _presenceSent = true;
                _lastPresenceTimestamp = now;
            }
        }

        BroadcastPresence(notice);
        return ValueTask.CompletedTask;
    }

    private void FlushPresence()
    {
        PresenceNotice? notice;
        lock (_gate)
        {
            notice = _pendingPresence;
            _pendingPresence = null;
            _presenceTimer?.Dispose();
            _presenceTimer = null;
            if (notice is null || _closed)
            {
                return;
            }

            _presenceSent = true;
            _lastPresenceTimestamp = _registry.Time.GetTimestamp();
        }

        BroadcastPresence(notice);
    }

    private void BroadcastPresence(PresenceNotice notice)
    {
        var started = _registry.Time.GetTimestamp();
        var members = Members();
        var message = ServerMessages.Presence(notice);
        var recipients = 0;
        foreach (var member in members)
        {
            // The joiner learns the count from its snapshot; it is not told about itself.
            if (!(notice.Joined && notice.Username == member.User.Username))
            {
                member.Connection.EnqueuePresence(message);
                recipients++;
            }
        }

        _registry.Metrics.FanOut(_registry.Time.GetElapsedTime(started), recipients);
    }

    // A copy taken only after membership changed, so a fan-out never holds the lock while it enqueues.
    private RoomMembership[] Members()
    {
        lock (_gate)
        {
            return _snapshot ??= [.. _members];
        }
    }
}

/// <summary>
/// One durable event on its way to a room's members: the common message is serialized once for everyone;
/// the <c>outbid</c> notice is built at most once.
/// </summary>
internal sealed class EventBroadcast(AuctionEvent auctionEvent, DateTimeOffset serverTime)
{
    private ServerMessage? _forEveryone;
    private ServerMessage? _outbid;

    public AuctionEvent Event { get; } = auctionEvent;

    public ServerMessage ForEveryone => LazyInitializer.EnsureInitialized(ref _forEveryone, () => ServerMessages.FromEvent(Event, serverTime));

    /// <summary>The bidder's own copy, with its idempotency key (not shared).</summary>
    public ServerMessage ForBidder => ServerMessages.FromEvent(Event, toBidder: true, serverTime);

    public ServerMessage Outbid => LazyInitializer.EnsureInitialized(ref _outbid, () => ServerMessages.Outbid((BidPlaced)Event));
}

using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Events;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One connection's place in one auction room and the last seq it was sent. Live events come from the
/// room; while the connection catches up from the store (join with <c>last_seq</c>, <c>resume</c>), live
/// ones are held back and then appended, so it gets every event after its starting point once, in order.
/// A catch-up of any length streams: it reads a page, waits until the client has drained the queue enough
/// for it, then reads the next, so a healthy client that is far behind is never dropped as a slow reader.
/// </summary>
internal sealed class RoomMembership(RealtimeConnection connection, RemateUser user, long afterSeq)
{
    private const int MaxPage = 500;

    private readonly Lock _gate = new();
    private long _lastSeq = Math.Max(0, afterSeq);
    private List<EventBroadcast>? _heldBack = []; // non-null while catching up; the join's catch-up comes first
    private int _catchUp;
    private int _ended;

    public RealtimeConnection Connection { get; } = connection;

    public RemateUser User { get; } = user;

    /// <summary>The room (set by the registry when the member is added).</summary>
    public AuctionRoom Room { get; set; } = null!;

    public AuctionId AuctionId => Room.AuctionId;

    /// <summary>The seq of the last durable event queued to this connection.</summary>
    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _lastSeq;
            }
        }
    }

    /// <summary>
    /// The client says it has seen up to <paramref name="lastSeq"/>: replays anything after it in the
    /// background (as the client drains); true when a replay started.
    /// </summary>
    public bool Resume(long lastSeq, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (lastSeq >= _lastSeq && _heldBack is null)
            {
                return false;
            }

            _lastSeq = Math.Max(0, lastSeq);
            _heldBack ??= [];
        }

        StartCatchUp(lastSeq, cancellationToken);
        return true;
    }

    /// <summary>Runs <see cref="CatchUpAsync"/> in the background; a failure drops the connection (the client reconnects and resumes).</summary>
    public void StartCatchUp(long fromSeq, CancellationToken cancellationToken) => _ = RunCatchUpAsync(fromSeq, cancellationToken);

    private async Task RunCatchUpAsync(long fromSeq, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield(); // never on the caller's stack: the transport's receive loop keeps reading
            await CatchUpAsync(fromSeq, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The connection went away.
        }
        catch (Exception ex)
        {
            RoomRegistry.LogCatchUpFailed(Room.Registry.Logger, ex, Room.AuctionId);
            Connection.Abort(AbortReason.SendFailed);
        }
    }

    /// <summary>Marks the membership ended; true only for the first call.</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>A live event from the room.</summary>
    public void Deliver(EventBroadcast broadcast)
    {
        lock (_gate)
        {
            if (_heldBack is not null)
            {
                // Bounded: the oldest held-back events are committed, so the catch-up reads them from the store again.
                if (_heldBack.Count >= Math.Max(1, Connection.Capacity / 2))
                {
                    _heldBack.RemoveRange(0, _heldBack.Count / 2);
                }

                _heldBack.Add(broadcast);
            }
            else if (broadcast.Event.Seq > _lastSeq)
            {
                QueueLocked(broadcast);
            }
        }
    }

    /// <summary>
    /// Queues every stored event after <paramref name="fromSeq"/> (already set as the last seq), then the
    /// live ones held back meanwhile. The store has every event before the first held-back one, since the
    /// feed delivers only committed events and this read starts after the member joined the room.
    /// </summary>
    public async Task CatchUpAsync(long fromSeq, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Increment(ref _catchUp);
        var registry = Room.Registry;
        // Each event may queue two messages (the event and an outbid): a page fills at most half the queue.
        var pageSize = Math.Clamp(Connection.Capacity / 4, 1, MaxPage);
        try
        {
            var from = Math.Max(0, fromSeq);
            var roomForHeldBack = 0;
            while (true)
            {
                var page = await registry.Store.GetEventsAsync(Room.AuctionId, from, pageSize, cancellationToken);
                await Connection.WaitForRoomAsync(2 * page.Count, cancellationToken);
                var now = registry.Time.GetUtcNow();
                lock (_gate)
                {
                    if (generation != Volatile.Read(ref _catchUp))
                    {
                        return; // a newer resume took over
                    }

                    var before = _lastSeq;
                    foreach (var e in page)
                    {
                        if (e.Seq == _lastSeq + 1)
                        {
                            QueueLocked(new EventBroadcast(e, now));
                        }
                    }

                    from = _lastSeq;
                    if (page.Count == pageSize && _lastSeq > before)
                    {
                        continue; // more pages
                    }

                    // The held-back live events go in one go: only once the queue has room for them.
                    roomForHeldBack = 2 * _heldBack!.Count(b => b.Event.Seq > _lastSeq);
                    if (roomForHeldBack <= Connection.FreeRoom && TryJoinHeldBackLocked(force: _lastSeq == before))
                    {
                        return;
                    }
                }

                await Connection.WaitForRoomAsync(roomForHeldBack, cancellationToken);
            }
        }
        catch
        {
            lock (_gate)
            {
                if (generation == Volatile.Read(ref _catchUp))
                {
                    TryJoinHeldBackLocked(force: true);
                }
            }

            throw;
        }
    }

    // Appends the held-back live events if they continue the sequence (or, forced, anyway) and ends the catch-up.
    private bool TryJoinHeldBackLocked(bool force)
    {
        var held = _heldBack!;
        var first = held.FindIndex(b => b.Event.Seq > _lastSeq);
        if (first >= 0 && held[first].Event.Seq != _lastSeq + 1)
        {
            if (!force)
            {
                return false; // committed meanwhile: read the store again
            }

            RoomRegistry.LogCatchUpGap(Room.Registry.Logger, Room.AuctionId, _lastSeq);
        }

        _heldBack = null;
        if (first >= 0)
        {
            for (var i = first; i < held.Count; i++)
            {
                if (held[i].Event.Seq > _lastSeq)
                {
                    QueueLocked(held[i]);
                }
            }
        }

        return true;
    }

    private void QueueLocked(EventBroadcast broadcast)
    {
        var e = broadcast.Event;
        _lastSeq = e.Seq;
        // "yours: true" (and the key, and a raised maximum) for the bidder only
        var own = e is BidPlaced mine ? mine.Bid.BidderId == User.Id : e is MaximumRaised raised && raised.BidderId == User.Id;
        Connection.Enqueue(own ? broadcast.ForBidder : broadcast.ForEveryone);
        if (e is BidPlaced placed && placed.OutbidUserId == User.Id && placed.Bid.BidderId != User.Id)
        {
            Connection.Enqueue(broadcast.Outbid);
        }
    }
}

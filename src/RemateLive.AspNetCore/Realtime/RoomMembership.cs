using System.Runtime.CompilerServices;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Feed;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One connection's presence in one auction room: its feed subscription and the last seq it was sent,
/// so a <c>resume</c> replays exactly what it missed and nothing twice.
/// </summary>
internal sealed class RoomMembership
{
    // The feed hands the same event instance to every listener on this node: serialize it once for all.
    private static readonly ConditionalWeakTable<AuctionEvent, ServerMessage> SharedEvents = [];
    private static readonly ConditionalWeakTable<PresenceNotice, ServerMessage> SharedPresence = [];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private long _lastSeq;
    private int _generation;
    private int _ended;
    private IAsyncDisposable? _subscription;

    public RoomMembership(RealtimeConnection connection, AuctionId auctionId, RemateUser user, TimeProvider time)
    {
        Connection = connection;
        AuctionId = auctionId;
        User = user;
        _time = time;
    }

    public RealtimeConnection Connection { get; }

    public AuctionId AuctionId { get; }

    public RemateUser User { get; }

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

    /// <summary>(Re)subscribes to the feed: every event after <paramref name="afterSeq"/>, then live ones.</summary>
    public async Task SubscribeAsync(AuctionFeed feed, long afterSeq, CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            // Events still arriving through an older subscription are ignored from here on; the new one
            // replays them from the store in order.
            generation = ++_generation;
            _lastSeq = Math.Max(0, afterSeq);
        }

        var previous = _subscription;
        _subscription = await feed.SubscribeAsync(AuctionId, new Listener(this, generation), afterSeq, cancellationToken);
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }
    }

    /// <summary>The client says it has seen up to <paramref name="lastSeq"/>: replay anything after it.</summary>
    public Task ResumeAsync(AuctionFeed feed, long lastSeq, CancellationToken cancellationToken) =>
        lastSeq >= LastSeq ? Task.CompletedTask : SubscribeAsync(feed, lastSeq, cancellationToken);

    /// <summary>Marks the membership ended; true only for the first call.</summary>
    public bool TryEnd() => Interlocked.Exchange(ref _ended, 1) == 0;

    public async ValueTask UnsubscribeAsync()
    {
        lock (_gate)
        {
            _generation++;
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    private void OnEvent(AuctionEvent e, int generation)
    {
        lock (_gate)
        {
            if (generation != _generation || e.Seq <= _lastSeq)
            {
                return;
            }

            _lastSeq = e.Seq;
            var own = e is BidPlaced { IdempotencyKey: not null } mine && mine.Bid.BidderId == User.Id;
            Connection.Enqueue(own
                ? ServerMessages.FromEvent(e, toBidder: true, _time.GetUtcNow())
                : SharedEvents.GetValue(e, ev => ServerMessages.FromEvent(ev, _time.GetUtcNow())));
            if (e is BidPlaced placed && placed.OutbidUserId == User.Id && placed.Bid.BidderId != User.Id)
            {
                Connection.Enqueue(ServerMessages.Outbid(placed));
            }
        }
    }

    private void OnPresence(PresenceNotice notice, int generation)
    {
        lock (_gate)
        {
            // The joiner learns the count from its snapshot; it is not told about itself.
            if (generation == _generation && !(notice.Joined && notice.Username == User.Username))
            {
                Connection.Enqueue(SharedPresence.GetValue(notice, ServerMessages.Presence));
            }
        }
    }

    private sealed class Listener(RoomMembership owner, int generation) : IAuctionFeedListener
    {
        public ValueTask OnEventAsync(AuctionEvent auctionEvent)
        {
            owner.OnEvent(auctionEvent, generation);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnPresenceAsync(PresenceNotice notice)
        {
            owner.OnPresence(notice, generation);
            return ValueTask.CompletedTask;
        }
    }
}

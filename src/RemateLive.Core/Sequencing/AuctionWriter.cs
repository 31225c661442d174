using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RemateLive.Diagnostics;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.Sequencing;

/// <summary>How <see cref="AuctionWriter.TryEnqueue"/> went.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued: the command completes when its batch is durable.</summary>
    Queued,

    /// <summary>The auction's queue is full: answer at once, never wait.</summary>
    Full,

    /// <summary>This writer retired (idle or no such auction): take a fresh one.</summary>
    Retired,
}

/// <summary>
/// The single writer of one auction on this node. Commands queue in a bounded channel; one loop, running
/// only while there is work, drains what is queued, decides each command in order on the auction's
/// latest state (the <see cref="Auction"/> aggregate holds every rule), commits the whole batch in one
/// store call — events, new state and the idempotency outcomes of accepted and rejected bids — and only
/// then answers the callers and publishes the batch once. Several nodes stay correct through the store's
/// expected-version check: a batch that loses is re-decided on the state the store returns.
/// </summary>
internal sealed class AuctionWriter
{
    private readonly AuctionId _id;
    private readonly SequencerContext _context;
    private readonly Channel<WriterCommand> _queue;
    private readonly Lock _gate = new();
    private readonly List<WriterCommand> _drained = [];
    private readonly List<WriterCommand> _segment = [];
    private readonly List<Decision> _decisions = [];
    private bool _running;
    private bool _retired;
    private AuctionState? _state;
    private bool _missing;

    // The store's clock proved the deadline passed while this node's clock disagreed: never decide earlier.
    private DateTimeOffset _clockFloor = DateTimeOffset.MinValue;

    public AuctionWriter(AuctionId id, SequencerContext context)
    {
        _id = id;
        _context = context;
        _queue = Channel.CreateBounded<WriterCommand>(new BoundedChannelOptions(context.Options.WriterQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full; nobody waits
        });
        LastActive = context.Time.GetUtcNow();
    }

    /// <summary>When the loop last finished (or the writer was made).</summary>
    public DateTimeOffset LastActive { get; private set; }

    /// <summary>Queues <paramref name="command"/> and starts the loop if it is not running.</summary>
    public EnqueueResult TryEnqueue(WriterCommand command)
    {
        lock (_gate)
        {
            if (_retired)
            {
                return EnqueueResult.Retired;
            }

            if (!_queue.Writer.TryWrite(command))
            {
                return EnqueueResult.Full;
            }

            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync);
            }

            return EnqueueResult.Queued;
        }
    }

    /// <summary>Retires the writer if it has been idle since <paramref name="cutoff"/>; true when it did.</summary>
    public bool TryRetire(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            if (_running || _retired || (LastActive > cutoff && !_missing))
            {
                return false;
            }

            _retired = true;
            return true;
        }
    }

    private async Task RunAsync()
    {
        Activity.Current = null; // the loop outlives the caller that started it: each batch names its own parent
        while (true)
        {
            _drained.Clear();
            while (_drained.Count < _context.Options.MaxBatchSize && _queue.Reader.TryRead(out var command))
            {
                _drained.Add(command);
            }

            if (_drained.Count == 0)
            {
                lock (_gate)
                {
                    if (!_queue.Reader.TryPeek(out _))
                    {
                        _running = false;
                        LastActive = _context.Time.GetUtcNow();
                        break;
                    }
                }

                continue;
            }

            try
            {
                await ProcessDrainedAsync();
            }
            catch (Exception ex)
            {
                // A bug must not kill the loop with callers waiting forever.
                SequencerLog.WriterFailed(_context.Logger, ex, _id);
                _state = null;
                foreach (var c in _drained)
                {
                    c.Fail(ex);
                }
            }
        }

        if (_missing)
        {
            _context.OnMissing(_id, this);
        }
    }

    // A timed close must commit after ends_at and bids before it: a timed close is always its own batch.
    private async Task ProcessDrainedAsync()
    {
        _segment.Clear();
        foreach (var command in _drained)
        {
            if (command is EndCommand { Timed: true })
            {
                await FlushSegmentAsync();
                _segment.Add(command);
                await FlushSegmentAsync();
            }
            else
            {
                _segment.Add(command);
            }
        }

        await FlushSegmentAsync();
    }

    private async Task FlushSegmentAsync()
    {
        if (_segment.Count == 0)
        {
            return;
        }

        using var batchActivity = CoreTracing.StartBatch(_id, _segment, static c => c.TraceContext);
        try
        {
            await CommitSegmentAsync(_segment);
        }
        catch (Exception ex)
        {
            batchActivity.Failed(ex);
            // Unknown whether the store committed: forget the state (the next batch reloads it) and
            // acknowledge nothing. A retry with the same idempotency key finds the truth.
            _state = null;
            foreach (var c in _segment)
            {
                c.Fail(ex);
            }
        }

        _segment.Clear();
    }

    private async Task CommitSegmentAsync(List<WriterCommand> segment)
    {
        var fresh = false;
        for (var attempt = 0; attempt < Math.Max(1, _context.Options.MaxCommitAttempts); attempt++)
        {
            if (_state is null)
            {
                _state = await _context.Store.GetAuctionAsync(_id);
                fresh = true;
                if (_state is null)
                {
                    _missing = true;
                    foreach (var c in segment)
                    {
                        c.Refuse(new DomainError(ErrorCodes.NotFound, "No such auction."), null);
                    }

                    return;
                }
            }

            // An open auction that looks ended by this node's clock may have been extended by another
            // node: "ended" is the one rejection an older state can get wrong, so confirm it first.
            if (!fresh && _state.Status is AuctionStatus.Open or AuctionStatus.Scheduled && Now() >= _state.EndsAt)
            {
                _state = null;
                continue;
            }

            var batch = Decide(_state, segment);
            if (batch.Commit is not { } commit)
            {
                Answer(segment, batch);
                await ReplayStoredAsync(segment);
                return;
            }

            AppendResult result;
            using (var commitActivity = CoreTracing.StartCommit(_id, commit.Events.Count))
            {
                result = await _context.Store.AppendAsync(commit);
                commitActivity?.SetTag("remate_live.commit.status", result.Status.ToString());
            }

            switch (result.Status)
            {
                case AppendStatus.Committed:
                    if (commit.Events.Count > 0)
                    {
                        _state = commit.State;
                        await _context.Publisher.DeliverAsync(commit.Events);
                    }

                    Answer(segment, batch);
                    await ReplayStoredAsync(segment);
                    if (commit.Events.Count > 0)
                    {
                        await _context.Publisher.ShareAsync(commit.State, commit.Events);
                    }

                    return;
                case AppendStatus.VersionConflict:
                    SequencerLog.Conflict(_context.Logger, _id, commit.ExpectedVersion, result.Current?.Version ?? -1);
                    _state = result.Current;
                    fresh = _state is not null;
                    continue;
                case AppendStatus.DeadlineMissed when commit.Deadline == CommitDeadline.AfterEnd:
                    _state = result.Current;
                    foreach (var c in segment)
                    {
                        c.Refuse(new DomainError(ErrorCodes.AuctionNotOpen, "The auction has not reached its end by the store's clock."), View(result.Current));
                    }

                    return;
                case AppendStatus.DeadlineMissed:
                    // The store's clock says it ended: decide again from its end, so bids are refused as closed.
                    _state = result.Current;
                    fresh = _state is not null;
                    if (_state is not null && _state.EndsAt > _clockFloor)
                    {
                        _clockFloor = _state.EndsAt;
                    }

                    continue;
                case AppendStatus.DuplicateKey:
                    MarkStoredOutcomes(segment, result.ExistingOutcomes ?? []);
                    continue;
                default:
                    _state = null;
                    continue;
            }
        }

        var view = View(_state);
        foreach (var c in segment)
        {
            // Not remembered under the key: a retry may well succeed.
            c.Refuse(new DomainError(ErrorCodes.Concurrency, "The auction kept changing; please retry."), view);
        }
    }

    private Batch Decide(AuctionState state, List<WriterCommand> segment)
    {
        var now = Now();
        var auction = Auction.Load(state, _context.Strategies.Get(state.Increment.Kind));
        var outcomes = new List<BidOutcomeRecord>();
        Dictionary<(UserId, string), int>? keys = null;
        var acceptedBid = false;
        var timed = false;
        _decisions.Clear();
        for (var i = 0; i < segment.Count; i++)
        {
            var start = auction.PendingEvents.Count;
            switch (segment[i])
            {
                case BidCommand { StoredOutcome: not null }:
                    _decisions.Add(new Decision(null, null, null, start, 0, null, -1));
                    break;
                case BidCommand bid when bid.Key is { } key && keys is not null && keys.TryGetValue((bid.Request.BidderId, key), out var first):
                    _decisions.Add(new Decision(null, null, null, start, 0, null, first)); // same key twice in one batch: one outcome
                    break;
                case BidCommand bid:
                    var decision = auction.PlaceBid(bid.Request, now);
                    _decisions.Add(new Decision(decision.Error, decision.Placed, decision.Raised, start, auction.PendingEvents.Count - start, auction.ToView(now), -1));
                    acceptedBid |= decision.Accepted;
                    if (bid.Key is { } k)
                    {
                        (keys ??= [])[(bid.Request.BidderId, k)] = i;
                        outcomes.Add(new BidOutcomeRecord(_id, bid.Request.BidderId, k, decision.AcceptedSeq, decision.Error?.Code, decision.Error?.Message, now));
                    }

                    break;
                case EndCommand end:
                    var error = end.Decide(auction, now);
                    timed |= end.Timed;
                    _decisions.Add(new Decision(error, null, null, start, auction.PendingEvents.Count - start, auction.ToView(now), -1));
                    break;
            }
        }

        var events = auction.PendingEvents;
        if (events.Count == 0 && outcomes.Count == 0)
        {
            return new Batch(null, events);
        }

        var deadline = acceptedBid ? CommitDeadline.BeforeEnd : timed ? CommitDeadline.AfterEnd : CommitDeadline.None;
        return new Batch(new AuctionCommit(auction.State, auction.LoadedVersion, events, outcomes, deadline), events);
    }

    private void Answer(List<WriterCommand> segment, Batch batch)
    {
        for (var i = 0; i < segment.Count; i++)
        {
            var d = _decisions[i];
            switch (segment[i])
            {
                case BidCommand { StoredOutcome: not null }:
                    break; // answered by ReplayStoredAsync
                case BidCommand bid when d.SameKeyAs >= 0:
                    var firstDecision = _decisions[d.SameKeyAs];
                    bid.Answer(new BidOutcome(firstDecision.Placed, firstDecision.Error, firstDecision.View, [], true) { Raised = firstDecision.Raised });
                    break;
                case BidCommand bid:
                    bid.Answer(new BidOutcome(d.Placed, d.Error, d.View, d.Error is not null ? [] : Slice(batch.Events, d.EventStart, d.EventCount), false) { Raised = d.Raised });
                    break;
                case EndCommand end:
                    end.Answer(new EndAuctionResult(d.View, d.Error));
                    break;
            }
        }
    }

    // Bids whose key the store already held: replay the first outcome (the same bid, or the same rejection).
    private async Task ReplayStoredAsync(List<WriterCommand> segment)
    {
        foreach (var command in segment)
        {
            if (command is not BidCommand { StoredOutcome: { } earlier } bid)
            {
                continue;
            }

            var view = View(_state);
            if (!earlier.Accepted)
            {
                bid.Answer(new BidOutcome(null, new DomainError(earlier.ErrorCode!, earlier.ErrorMessage ?? ""), view, [], true));
                continue;
            }

            var events = await _context.Store.GetEventsAsync(_id, earlier.Seq!.Value - 1, 1);
            if (events is [BidPlaced placed])
            {
                bid.Answer(new BidOutcome(placed, null, view, [], true));
            }
            else if (events is [MaximumRaised raised])
            {
                bid.Answer(new BidOutcome(null, null, view, [], true) { Raised = raised });
            }
            else
            {
                bid.Fail(new InvalidOperationException($"The store lost the bid with seq {earlier.Seq} of auction {_id}."));
            }
        }
    }

    private static void MarkStoredOutcomes(List<WriterCommand> segment, IReadOnlyList<BidOutcomeRecord> stored)
    {
        foreach (var command in segment)
        {
            if (command is BidCommand { Key: { } key } bid)
            {
                foreach (var o in stored)
                {
                    if (o.UserId == bid.Request.BidderId && o.IdempotencyKey == key)
                    {
                        bid.StoredOutcome = o;
                    }
                }
            }
        }
    }

    private static AuctionEvent[] Slice(IReadOnlyList<AuctionEvent> events, int start, int count)
    {
        var slice = new AuctionEvent[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = events[start + i];
        }

        return slice;
    }

    private DateTimeOffset Now()
    {
        var now = _context.Time.GetUtcNow();
        return now < _clockFloor ? _clockFloor : now;
    }

    private AuctionView? View(AuctionState? state) =>
        state is null ? null : Auction.Load(state, _context.Strategies.Get(state.Increment.Kind)).ToView(Now());

    // What the batch decided: the commit to make (null when there is nothing to store) and its events.
    private readonly record struct Batch(AuctionCommit? Commit, IReadOnlyList<AuctionEvent> Events);

    // One command's decision inside a batch; SameKeyAs >= 0 points at the earlier command with its key.
    private readonly record struct Decision(DomainError? Error, BidPlaced? Placed, MaximumRaised? Raised, int EventStart, int EventCount, AuctionView? View, int SameKeyAs);
}

/// <summary>What every writer of a node shares.</summary>
internal sealed class SequencerContext(
    IAuctionStore store,
    BidIncrementStrategies strategies,
    AuctionPublisher publisher,
    BiddingOptions options,
    TimeProvider time,
    ILogger logger,
    Action<AuctionId, AuctionWriter> onMissing)
{
    public IAuctionStore Store { get; } = store;

    public BidIncrementStrategies Strategies { get; } = strategies;

    public AuctionPublisher Publisher { get; } = publisher;

    public BiddingOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    /// <summary>The writer found no such auction: retire it now rather than at the next sweep.</summary>
    public void OnMissing(AuctionId id, AuctionWriter writer) => onMissing(id, writer);
}

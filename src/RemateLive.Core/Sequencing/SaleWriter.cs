using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sales;

namespace RemateLive.Sequencing;

/// <summary>
/// The single writer of one sale on this node, shaped like <see cref="AuctionWriter"/>: a bounded queue, one
/// loop running only while there is work, every queued command decided in arrival order on the
/// <see cref="Sale"/> aggregate, the whole batch committed in one store call, callers answered only after
/// the commit, then the events shared with the other nodes. So a bid the writer received before the hammer is decided
/// first. Another node's commit shows up as a version conflict: the batch is re-decided on the stored state.
/// </summary>
internal sealed class SaleWriter
{
    private readonly SaleId _id;
    private readonly SaleSequencerContext _context;
    private readonly Channel<SaleCommand> _queue;
    private readonly Lock _gate = new();
    private readonly List<SaleCommand> _batch = [];
    private bool _running;
    private bool _retired;
    private bool _missing;
    private SaleState? _state;

    public SaleWriter(SaleId id, SaleSequencerContext context)
    {
        _id = id;
        _context = context;
        _queue = Channel.CreateBounded<SaleCommand>(new BoundedChannelOptions(context.Options.WriterQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full; nobody waits
        });
        LastActive = context.Time.GetUtcNow();
    }

    public DateTimeOffset LastActive { get; private set; }

    public EnqueueResult TryEnqueue(SaleCommand command)
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
        while (true)
        {
            _batch.Clear();
            while (_batch.Count < _context.Options.MaxBatchSize && _queue.Reader.TryRead(out var command))
            {
                _batch.Add(command);
            }

            if (_batch.Count == 0)
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
                await CommitBatchAsync();
            }
            catch (Exception ex)
            {
                // Unknown whether the store committed: acknowledge nothing and reload the state next time.
                SaleLog.WriterFailed(_context.Logger, ex, _id);
                _state = null;
                foreach (var c in _batch)
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

    private async Task CommitBatchAsync()
    {
        var decisions = new (DomainError? Error, int Start, int Count)[_batch.Count];
        for (var attempt = 0; attempt < Math.Max(1, _context.Options.MaxCommitAttempts); attempt++)
        {
            var fresh = _state is null;
            _state ??= await _context.Store.GetSaleAsync(_id);
            if (_state is null)
            {
                _missing = true;
                foreach (var c in _batch)
                {
                    c.Refuse(new DomainError(ErrorCodes.NotFound, "No such sale."), null);
                }

                return;
            }

            var now = _context.Time.GetUtcNow();
            var sale = Sale.Load(_state, _context.Strategies.Get(_state.Increment.Kind));
            for (var i = 0; i < _batch.Count; i++)
            {
                var start = sale.PendingEvents.Count;
                var error = _batch[i].Decide(sale, now);
                decisions[i] = (error, start, sale.PendingEvents.Count - start);
            }

            if (!sale.Changed && !fresh)
            {
                // Unlike an auction's, a sale's refusal can go stale (another node resumed it or opened a
                // lot): a batch that changes nothing is decided again on the stored state before answering.
                _state = null;
                continue;
            }

            if (!sale.Changed)
            {
                Answer(decisions, _state, sale.PendingEvents);
                return;
            }

            var commit = new SaleCommit(sale.ToCommit(), sale.LoadedVersion, [.. sale.PendingEvents]);
            var result = await _context.Store.AppendAsync(commit);
            switch (result.Status)
            {
                case SaleAppendStatus.Committed:
                    _state = commit.State;
                    if (commit.Events.Count > 0)
                    {
                        try
                        {
                            await _context.Feed.DeliverAsync(_id, commit.Events);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // Committed is committed: a failed local delivery (a gap catch-up reading the store) must
                            // not turn into failed answers; the feed's periodic gap check delivers the events later.
                            SaleLog.CatchUpFailed(_context.Logger, ex, _id);
                        }
                    }

                    Answer(decisions, commit.State, commit.Events);
                    if (commit.Events.Count > 0)
                    {
                        await _context.Feed.ShareAsync(_id, commit.Events); // other nodes' watchers, after our callers
                    }

                    return;
                case SaleAppendStatus.VersionConflict:
                    SaleLog.Conflict(_context.Logger, _id, commit.ExpectedVersion, result.Current?.Version ?? -1);
                    _state = result.Current;
                    continue;
                default:
                    _state = null;
                    continue;
            }
        }

        foreach (var c in _batch)
        {
            c.Refuse(new DomainError(ErrorCodes.Concurrency, "The sale kept changing; please retry."), _state);
        }
    }

    private void Answer((DomainError? Error, int Start, int Count)[] decisions, SaleState state, IReadOnlyList<SaleEvent> events)
    {
        for (var i = 0; i < _batch.Count; i++)
        {
            var (error, start, count) = decisions[i];
            var own = new SaleEvent[count];
            for (var j = 0; j < count; j++)
            {
                own[j] = events[start + j];
            }

            _batch[i].Answer(new SaleCommandResult(error, state, own));
        }
    }
}

/// <summary>What every sale writer of a node shares.</summary>
internal sealed class SaleSequencerContext(
    ISaleStore store,
    BidIncrementStrategies strategies,
    Feed.SaleFeed feed,
    BiddingOptions options,
    TimeProvider time,
    ILogger logger,
    Action<SaleId, SaleWriter> onMissing)
{
    public ISaleStore Store { get; } = store;

    public BidIncrementStrategies Strategies { get; } = strategies;

    public Feed.SaleFeed Feed { get; } = feed;

    public BiddingOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public void OnMissing(SaleId id, SaleWriter writer) => onMissing(id, writer);
}

/// <summary>The sale writers' log messages.</summary>
internal static partial class SaleLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Sale {SaleId}: a batch decided at version {Expected} lost to version {Current} (another node); deciding again.")]
    public static partial void Conflict(ILogger logger, SaleId saleId, long expected, long current);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "The writer of sale {SaleId} failed; its batch's commands were failed.")]
    public static partial void WriterFailed(ILogger logger, Exception ex, SaleId saleId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "A listener of sale {SaleId} failed.")]
    public static partial void ListenerFailed(ILogger logger, Exception ex, SaleId saleId);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Catching up sale {SaleId} from the store failed.")]
    public static partial void CatchUpFailed(ILogger logger, Exception ex, SaleId saleId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Could not publish events of sale {SaleId}; other nodes will fill the gap from the store.")]
    public static partial void BusFailed(ILogger logger, Exception ex, SaleId saleId);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.Sequencing;

/// <summary>
/// One writer per active auction on this node (see <c>docs/architecture.md</c>): every command for an
/// auction — bids, timed close, admin close and cancel — is decided in arrival order by that auction's
/// writer and committed in batches (group commit). Writers exist only while auctions are active: a
/// writer's loop runs only while it has work, and writers idle for <see cref="BiddingOptions.WriterIdleTimeout"/>
/// are dropped with their cached state.
/// </summary>
public sealed class AuctionSequencer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<AuctionId, AuctionWriter> _writers = new();
    private readonly SequencerContext _context;
    private readonly BiddingOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private volatile bool _stopped;

    /// <summary>Creates the sequencer; use cases submit to it (registered by <c>AddRemateLiveCore()</c>).</summary>
    public AuctionSequencer(
        IAuctionStore store,
        BidIncrementStrategies strategies,
        AuctionPublisher publisher,
        BiddingOptions options,
        TimeProvider time,
        ILogger<AuctionSequencer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _context = new SequencerContext(store, strategies, publisher, options, time, (ILogger?)logger ?? NullLogger.Instance, RetireMissing);
        _sweeper = time.CreateTimer(_ => Sweep(), null, options.WriterIdleTimeout, options.WriterIdleTimeout);
    }

    /// <summary>How many auctions have a writer on this node now (active or recently active).</summary>
    public int ActiveWriters => _writers.Count;

    internal Task<BidOutcome> SubmitAsync(BidCommand command)
    {
        Enqueue(command.AuctionId, command);
        return command.Completion;
    }

    internal Task<EndAuctionResult> SubmitAsync(AuctionId id, EndCommand command)
    {
        Enqueue(id, command);
        return command.Completion;
    }

    private void Enqueue(AuctionId id, WriterCommand command)
    {
        while (true)
        {
            if (_stopped)
            {
                command.Refuse(new DomainError(ErrorCodes.Unavailable, "This node is shutting down; retry on another."), null);
                return;
            }

            var writer = _writers.GetOrAdd(id, static (key, context) => new AuctionWriter(key, context), _context);
            switch (writer.TryEnqueue(command))
            {
                case EnqueueResult.Queued:
                    return;
                case EnqueueResult.Full:
                    // Back-pressure: answered at once, never an unbounded wait; not remembered under the key.
                    command.Refuse(new DomainError(ErrorCodes.RateLimited, $"The auction is busy ({_options.WriterQueueCapacity} commands queued); retry shortly."), null);
                    return;
                default:
                    _writers.TryRemove(new KeyValuePair<AuctionId, AuctionWriter>(id, writer));
                    continue; // it retired between lookup and enqueue; the next lookup makes a fresh one
            }
        }
    }

    private void Sweep()
    {
        var cutoff = _time.GetUtcNow() - _options.WriterIdleTimeout;
        foreach (var (id, writer) in _writers)
        {
            if (writer.TryRetire(cutoff))
            {
                _writers.TryRemove(new KeyValuePair<AuctionId, AuctionWriter>(id, writer));
            }
        }
    }

    private void RetireMissing(AuctionId id, AuctionWriter writer)
    {
        if (writer.TryRetire(DateTimeOffset.MaxValue))
        {
            _writers.TryRemove(new KeyValuePair<AuctionId, AuctionWriter>(id, writer));
        }
    }

    /// <summary>Stops taking commands (they are answered <c>UNAVAILABLE</c>); batches in flight finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _sweeper.DisposeAsync();
    }
}

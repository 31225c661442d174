using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sales;

namespace RemateLive.Sequencing;

/// <summary>
/// One writer per active sale on this node (like <see cref="AuctionSequencer"/>): every sale command is
/// decided in arrival order by that sale's writer. Writers exist only while sales are active and are
/// dropped after <see cref="BiddingOptions.WriterIdleTimeout"/>.
/// </summary>
internal sealed class SaleSequencer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<SaleId, SaleWriter> _writers = new();
    private readonly SaleSequencerContext _context;
    private readonly BiddingOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;
    private volatile bool _stopped;

    public SaleSequencer(ISaleStore store, BidIncrementStrategies strategies, SaleFeed feed, BiddingOptions options, TimeProvider time, ILogger? logger = null)
    {
        _options = options;
        _time = time;
        _context = new SaleSequencerContext(store, strategies, feed, options, time, logger ?? NullLogger.Instance, RetireMissing);
        _sweeper = time.CreateTimer(_ => Sweep(), null, options.WriterIdleTimeout, options.WriterIdleTimeout);
    }

    public int ActiveWriters => _writers.Count;

    public Task<SaleCommandResult> SubmitAsync(SaleId id, Func<Sale, DateTimeOffset, DomainError?> decide)
    {
        var command = new SaleCommand(decide);
        while (true)
        {
            if (_stopped)
            {
                command.Refuse(new DomainError(ErrorCodes.Unavailable, "This node is shutting down; retry on another."), null);
                break;
            }

            var writer = _writers.GetOrAdd(id, static (key, context) => new SaleWriter(key, context), _context);
            var result = writer.TryEnqueue(command);
            if (result == EnqueueResult.Queued)
            {
                break;
            }

            if (result == EnqueueResult.Full)
            {
                command.Refuse(new DomainError(ErrorCodes.RateLimited, $"The sale is busy ({_options.WriterQueueCapacity} commands queued); retry shortly."), null);
                break;
            }

            _writers.TryRemove(new KeyValuePair<SaleId, SaleWriter>(id, writer));
        }

        return command.Completion;
    }

    private void Sweep()
    {
        var cutoff = _time.GetUtcNow() - _options.WriterIdleTimeout;
        foreach (var (id, writer) in _writers)
        {
            if (writer.TryRetire(cutoff))
            {
                _writers.TryRemove(new KeyValuePair<SaleId, SaleWriter>(id, writer));
            }
        }
    }

    private void RetireMissing(SaleId id, SaleWriter writer)
    {
        if (writer.TryRetire(DateTimeOffset.MaxValue))
        {
            _writers.TryRemove(new KeyValuePair<SaleId, SaleWriter>(id, writer));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await _sweeper.DisposeAsync();
    }
}

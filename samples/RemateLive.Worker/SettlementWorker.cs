using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;

namespace RemateLive.Worker;

/// <summary>
/// Records a settlement for every auction that closes with a winner. It follows committed events on
/// Remate Live's bus (<see cref="IAuctionEventBus"/>: at once for closes this process commits — its own
/// closer — and, with <c>UseRedis</c>, for every node's), and, because a bus may lose messages and a
/// PostgreSQL-only deployment has no bus between processes, it reconciles with the store at start-up and
/// every <see cref="SettlementOptions.ReconcileInterval"/>. Recording is idempotent by auction id.
/// </summary>
internal sealed partial class SettlementWorker(
    IAuctionEventBus bus,
    IAuctionStore store,
    SettlementStore settlements,
    IOptions<SettlementOptions> options,
    TimeProvider time,
    ILogger<SettlementWorker> logger) : BackgroundService, IAuctionBusHandler
{
    // Bus handlers must not block: closes are queued (bounded; an overflow is picked up by the next reconcile).
    private readonly Channel<AuctionId> _closed = Channel.CreateBounded<AuctionId>(new BoundedChannelOptions(1_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await settlements.EnsureSchemaAsync(stoppingToken);
        await using var subscription = await bus.SubscribeAsync(this, stoppingToken);
        var settling = SettleClosedAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReconcileFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _closed.Writer.TryComplete();
        await settling;
    }

    /// <summary>Settles every closed auction with a winner that has no settlement yet; returns how many it recorded.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var recorded = 0;
        CatalogueCursor? after = null;
        while (true)
        {
            var page = await store.SearchAuctionsAsync(
                new AuctionSearch([], AuctionStatus.Closed, AuctionSort.Newest, after, options.Value.PageSize, time.GetUtcNow()),
                cancellationToken);
            var won = page.Select(Settlement.For).OfType<Settlement>().ToList();
            var settled = await settlements.SettledAsync([.. won.Select(s => s.AuctionId)], cancellationToken);
            foreach (var settlement in won.Where(s => !settled.Contains(s.AuctionId)))
            {
                recorded += await RecordAsync(settlement, cancellationToken) ? 1 : 0;
            }

            if (page.Count < options.Value.PageSize)
            {
                return recorded;
            }

            after = new CatalogueCursor(AuctionCatalogue.SortKey(page[^1], AuctionSort.Newest), page[^1].Id);
        }
    }

    ValueTask IAuctionBusHandler.OnEventsAsync(IReadOnlyList<AuctionEvent> events)
    {
        foreach (var e in events)
        {
            if (e is AuctionClosed { WinnerId: not null } closed)
            {
                _closed.Writer.TryWrite(closed.AuctionId);
            }
        }

        return ValueTask.CompletedTask;
    }

    ValueTask IAuctionBusHandler.OnPresenceAsync(PresenceNotice notice) => ValueTask.CompletedTask;

    // The event says who won; the stored state (the truth, with the currency and seller) says what to record.
    private async Task SettleClosedAsync(CancellationToken cancellationToken)
    {
        await foreach (var auctionId in _closed.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (await store.GetAuctionAsync(auctionId, cancellationToken) is { } auction && Settlement.For(auction) is { } settlement)
                {
                    await RecordAsync(settlement, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSettleFailed(logger, ex, auctionId); // the next reconcile retries it
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> RecordAsync(Settlement settlement, CancellationToken cancellationToken)
    {
        var recorded = await settlements.TryRecordAsync(settlement, time.GetUtcNow(), cancellationToken);
        if (recorded)
        {
            LogSettled(logger, settlement.AuctionId, settlement.WinnerName, settlement.AmountCents, settlement.Currency);
        }

        return recorded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Auction {AuctionId} settled: {Winner} owes {AmountCents} {Currency} (cents).")]
    private static partial void LogSettled(ILogger logger, AuctionId auctionId, string winner, long amountCents, string currency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling auction {AuctionId} failed; the next reconcile retries it.")]
    private static partial void LogSettleFailed(ILogger logger, Exception ex, AuctionId auctionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling settlements with the store failed; retrying on the next tick.")]
    private static partial void LogReconcileFailed(ILogger logger, Exception ex);
}

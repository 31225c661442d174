using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Feed;
using RemateLive.Increments;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>
/// After a commit: delivers the events to this node's listeners at once, refreshes the cache and
/// publishes to the bus. The commit already happened, so a failing cache or bus is logged, not thrown:
/// other nodes catch up from the store.
/// </summary>
public sealed partial class AuctionPublisher(
    AuctionFeed feed,
    IAuctionEventBus bus,
    IAuctionCache cache,
    BidIncrementStrategies strategies,
    TimeProvider time,
    ILogger<AuctionPublisher> logger)
{
    /// <summary>Announces events committed together with <paramref name="state"/>.</summary>
    public async Task PublishAsync(AuctionState state, IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        await feed.DeliverAsync(events, cancellationToken);
        try
        {
            var view = Auction.Load(state, strategies.Get(state.Increment.Kind)).ToView(time.GetUtcNow());
            await cache.SetAsync(view.ToSnapshot(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCacheFailed(logger, ex, state.Id);
        }

        try
        {
            await bus.PublishAsync(events, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBusFailed(logger, ex, state.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the cache for auction {AuctionId}; it will be refreshed by the next commit.")]
    private static partial void LogCacheFailed(ILogger logger, Exception ex, AuctionId auctionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish events of auction {AuctionId}; other nodes will fill the gap from the store.")]
    private static partial void LogBusFailed(ILogger logger, Exception ex, AuctionId auctionId);
}

/// <summary>Conversions between read models.</summary>
public static class AuctionViewExtensions
{
    /// <summary>The cacheable part of a view.</summary>
    public static AuctionSnapshot ToSnapshot(this AuctionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new(view.Id, view.Status, view.CurrentPriceCents, view.MinNextBidCents, view.BuyNowPriceCents, view.Version, view.EndsAt);
    }
}

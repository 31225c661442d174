using RemateLive.Sales;

namespace RemateLive.Ports;

/// <summary>
/// Carries committed sale events to every node, like <see cref="IAuctionEventBus"/> does for auctions.
/// Delivery may be lossy, duplicated or late: <see cref="Feed.SaleFeed"/> drops duplicates and fills holes
/// from the store, and its periodic check covers a bus that is down.
/// </summary>
public interface ISaleEventBus
{
    /// <summary>Publishes one sale's events that were committed (in seq order).</summary>
    ValueTask PublishAsync(IReadOnlyList<SaleEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Receives every sale event published by any node (this one included) until disposed.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(ISaleBusHandler handler, CancellationToken cancellationToken = default);
}

/// <summary>Receives sale events from the bus.</summary>
public interface ISaleBusHandler
{
    /// <summary>Committed events of one sale, in seq order.</summary>
    ValueTask OnEventsAsync(IReadOnlyList<SaleEvent> events);
}

using RemateLive.Domain;
using RemateLive.Events;

namespace RemateLive.Ports;

/// <summary>
/// Carries committed events (and presence notices) to every node. Delivery may be lossy, duplicated or
/// late: <see cref="Feed.AuctionFeed"/> restores seq order and fills gaps from the store.
/// </summary>
public interface IAuctionEventBus
{
    /// <summary>Publishes events that were committed (in seq order).</summary>
    ValueTask PublishAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Publishes a presence change (not durable, no seq).</summary>
    ValueTask PublishPresenceAsync(PresenceNotice notice, CancellationToken cancellationToken = default);

    /// <summary>Receives everything published by any node (this one included) until disposed.</summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(IAuctionBusHandler handler, CancellationToken cancellationToken = default);
}

/// <summary>Receives bus traffic.</summary>
public interface IAuctionBusHandler
{
    /// <summary>Committed events of one or more auctions, each auction's in seq order.</summary>
    ValueTask OnEventsAsync(IReadOnlyList<AuctionEvent> events);

    /// <summary>A presence change on some node.</summary>
    ValueTask OnPresenceAsync(PresenceNotice notice);
}

/// <summary>A user joined or left an auction room; <see cref="OnlineCount"/> counts users on all nodes.</summary>
public sealed record PresenceNotice(AuctionId AuctionId, string Username, string DisplayName, bool Joined, long OnlineCount, string OriginNode);

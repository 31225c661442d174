using RemateLive.Domain;

namespace RemateLive.Ports;

/// <summary>
/// A fast path in front of the store: each auction's public snapshot, updated from committed events only.
/// A stale snapshot can only cause a needless store round trip, never a wrong acceptance: prices only
/// rise and closing is final, so "too low" or "closed" by an old snapshot is still true.
/// </summary>
public interface IAuctionCache
{
    /// <summary>The cached snapshot, or null.</summary>
    ValueTask<AuctionSnapshot?> GetAsync(AuctionId id, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="snapshot"/> unless a newer version is cached.</summary>
    ValueTask SetAsync(AuctionSnapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>The cached public state of an auction.</summary>
public sealed record AuctionSnapshot(
    AuctionId Id,
    AuctionStatus Status,
    long CurrentPriceCents,
    long MinNextBidCents,
    long? BuyNowPriceCents,
    long Version,
    DateTimeOffset EndsAt);

using RemateLive.Domain;

namespace RemateLive.Ports;

/// <summary>
/// Each user's watchlist: the auctions they follow, bounded per user. An adapter must pass the compliance
/// kit's <c>WatchlistStoreComplianceTests</c>. Infrastructure failures surface as exceptions.
/// </summary>
public interface IWatchlistStore
{
    /// <summary>
    /// Adds <paramref name="auction"/> to <paramref name="user"/>'s list unless it is there already or the
    /// list holds <paramref name="maxPerUser"/> auctions (concurrent adds may pass the bound by their number).
    /// </summary>
    Task<WatchResult> WatchAsync(UserId user, AuctionId auction, int maxPerUser, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="auction"/> from the user's list; false when it was not there.</summary>
    Task<bool> UnwatchAsync(UserId user, AuctionId auction, CancellationToken cancellationToken = default);

    /// <summary>The user's watched auctions, most recently added first.</summary>
    Task<IReadOnlyList<AuctionId>> ListAsync(UserId user, CancellationToken cancellationToken = default);
}

/// <summary>How <see cref="IWatchlistStore.WatchAsync"/> ended.</summary>
public enum WatchResult
{
    /// <summary>Added.</summary>
    Added,

    /// <summary>It was on the list already (nothing changed).</summary>
    AlreadyWatched,

    /// <summary>The list is full (nothing changed).</summary>
    Full,
}

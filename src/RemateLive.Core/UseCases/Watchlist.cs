using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>A bidder's watchlist: follow auctions without bidding, at most <see cref="MaxPerUser"/>.</summary>
public sealed class Watchlist(IWatchlistStore watchlist, IAuctionStore auctions, AuctionQueries queries, TimeProvider time)
{
    /// <summary>The most auctions one user may watch (every stored resource is bounded).</summary>
    public const int MaxPerUser = 200;

    /// <summary>Watches <paramref name="auction"/>; null when there is no such auction.</summary>
    public async Task<WatchResult?> WatchAsync(UserId user, AuctionId auction, CancellationToken cancellationToken = default) =>
        await auctions.GetAuctionAsync(auction, cancellationToken) is null
            ? null
            : await watchlist.WatchAsync(user, auction, MaxPerUser, time.GetUtcNow(), cancellationToken);

    /// <summary>Stops watching <paramref name="auction"/>; false when it was not watched.</summary>
    public Task<bool> UnwatchAsync(UserId user, AuctionId auction, CancellationToken cancellationToken = default) =>
        watchlist.UnwatchAsync(user, auction, cancellationToken);

    /// <summary>The watched auctions' public views, most recently watched first (auctions gone from the store are left out).</summary>
    public async Task<IReadOnlyList<AuctionView>> ListAsync(UserId user, CancellationToken cancellationToken = default)
    {
        var ids = await watchlist.ListAsync(user, cancellationToken);
        var views = new List<AuctionView>(ids.Count);
        foreach (var id in ids)
        {
            if (await queries.GetAuctionAsync(id, cancellationToken) is { } view)
            {
                views.Add(view);
            }
        }

        return views;
    }
}

using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Increments;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>Read-side use cases: GetAuction, ListAuctions, GetBids, GetEventsSince.</summary>
public sealed class AuctionQueries(IAuctionStore store, BidIncrementStrategies strategies, TimeProvider time)
{
    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxPage = 500;

    /// <summary>The largest catalogue page a caller may ask for.</summary>
    public const int MaxCataloguePage = 100;

    /// <summary>One auction's public view, or null.</summary>
    public async Task<AuctionView?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default)
    {
        var state = await store.GetAuctionAsync(id, cancellationToken);
        return state is null ? null : ToView(state);
    }

    /// <summary>
    /// One auction's public view for <paramref name="viewer"/>, with their own secret maximum while they lead
    /// (<see cref="MyBid.OwnMaximumCents"/>); null when the auction does not exist.
    /// </summary>
    public async Task<(AuctionView View, long? OwnMaximumCents)?> GetAuctionForAsync(AuctionId id, UserId viewer, CancellationToken cancellationToken = default)
    {
        var state = await store.GetAuctionAsync(id, cancellationToken);
        return state is null ? null : (ToView(state), MyBid.OwnMaximumCents(state, viewer));
    }

    /// <summary>Auctions, optionally with the given status as bidders see it now.</summary>
    public async Task<IReadOnlyList<AuctionView>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default)
    {
        // Scheduled auctions may be effectively open, so filter on the view, not in the store.
        var states = await store.ListAuctionsAsync(null, cancellationToken);
        return [.. states.Select(ToView).Where(v => status is null || v.Status == status)];
    }

    /// <summary>
    /// One catalogue page: auctions whose title or description has words starting with every word of
    /// <paramref name="text"/>, with <paramref name="status"/> as bidders see it now, in
    /// <paramref name="sort"/> order, after <paramref name="after"/> (from the previous page's
    /// <see cref="CataloguePage.NextCursor"/>, decoded with <see cref="AuctionCatalogue.TryDecodeCursor"/>).
    /// </summary>
    public async Task<CataloguePage> SearchAsync(string? text, AuctionStatus? status, AuctionSort sort, CatalogueCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        var take = Math.Clamp(limit, 1, MaxCataloguePage);
        var now = time.GetUtcNow();
        // One more than asked tells whether a next page exists without a count query.
        var found = await store.SearchAuctionsAsync(new AuctionSearch(AuctionCatalogue.Terms(text), status, sort, after, take + 1, now), cancellationToken);
        var page = found.Count > take ? found.Take(take).ToList() : found;
        var next = found.Count > take
            ? AuctionCatalogue.EncodeCursor(sort, new CatalogueCursor(AuctionCatalogue.SortKey(page[^1], sort), page[^1].Id))
            : null;
        return new CataloguePage([.. page.Select(s => ToView(s, now))], next);
    }

    /// <summary>
    /// "My bids": the auctions <paramref name="bidder"/> has bid on, most recently bid first, with where
    /// they stand and — only while they lead, and only to them — their own maximum.
    /// </summary>
    public async Task<IReadOnlyList<MyBid>> GetMyBidsAsync(UserId bidder, int limit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var found = await store.GetBidderAuctionsAsync(bidder, Math.Clamp(limit, 1, MaxCataloguePage), cancellationToken);
        return
        [
            .. found.Select(f =>
            {
                return new MyBid(ToView(f.Auction, now), MyBid.StatusOf(f.Auction, bidder), f.HighestBid.Cents, MyBid.OwnMaximumCents(f.Auction, bidder), f.LastBidAt);
            }),
        ];
    }

    /// <summary>Accepted bids, newest first; null when the auction does not exist.</summary>
    public async Task<IReadOnlyList<Bid>?> GetBidsAsync(AuctionId id, long? beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (await store.GetAuctionAsync(id, cancellationToken) is null)
        {
            return null;
        }

        return await store.GetBidsAsync(id, beforeSeq, Math.Clamp(limit, 1, MaxPage), cancellationToken);
    }

    /// <summary>Durable events after <paramref name="afterSeq"/> in seq order; null when the auction does not exist.</summary>
    public async Task<IReadOnlyList<AuctionEvent>?> GetEventsSinceAsync(AuctionId id, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (await store.GetAuctionAsync(id, cancellationToken) is null)
        {
            return null;
        }

        return await store.GetEventsAsync(id, Math.Max(0, afterSeq), Math.Clamp(limit, 1, MaxPage), cancellationToken);
    }

    private AuctionView ToView(AuctionState state) => ToView(state, time.GetUtcNow());

    private AuctionView ToView(AuctionState state, DateTimeOffset now) =>
        Auction.Load(state, strategies.Get(state.Increment.Kind)).ToView(now);
}

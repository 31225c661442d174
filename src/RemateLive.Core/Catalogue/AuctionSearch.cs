using RemateLive.Domain;

namespace RemateLive.Catalogue;

/// <summary>How the catalogue orders auctions. Ties are broken by id, so every order is total.</summary>
public enum AuctionSort
{
    /// <summary>Soonest <see cref="AuctionState.EndsAt"/> first (the default).</summary>
    EndingSoon,

    /// <summary>Most recently created first.</summary>
    Newest,

    /// <summary>Lowest shown price (current price, or the starting price without bids) first.</summary>
    PriceLowest,

    /// <summary>Highest shown price first.</summary>
    PriceHighest,
}

/// <summary>
/// Where a catalogue page ends: the sort key of its last auction (microseconds since the Unix epoch for
/// times, cents for prices) and that auction's id. The next page starts strictly after it (keyset paging:
/// no offsets, no duplicates or skips when auctions are added between pages).
/// </summary>
/// <param name="Key">The last auction's sort key.</param>
/// <param name="Id">The last auction's id (tie-break).</param>
public readonly record struct CatalogueCursor(long Key, AuctionId Id);

/// <summary>One catalogue query, as the store answers it.</summary>
/// <param name="Terms">
/// Lower-case words that must all begin a word of the title or description (prefix match, accents kept);
/// empty for no text filter. Built by <see cref="AuctionCatalogue.Terms"/>.
/// </param>
/// <param name="Status">The status as bidders see it at <paramref name="Now"/> (a scheduled auction past its start is open); null for all.</param>
/// <param name="Sort">The order.</param>
/// <param name="After">Start after this position; null for the first page.</param>
/// <param name="Limit">At most this many auctions.</param>
/// <param name="Now">The time the status is judged at.</param>
public sealed record AuctionSearch(
    IReadOnlyList<string> Terms,
    AuctionStatus? Status,
    AuctionSort Sort,
    CatalogueCursor? After,
    int Limit,
    DateTimeOffset Now);

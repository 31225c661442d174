using RemateLive.Domain;

namespace RemateLive.Catalogue;

/// <summary>One page of the catalogue.</summary>
/// <param name="Items">The auctions, in the query's order.</param>
/// <param name="NextCursor">The opaque token for the next page; null on the last page.</param>
public sealed record CataloguePage(IReadOnlyList<AuctionView> Items, string? NextCursor);

using RemateLive.Domain;

namespace RemateLive.Sales;

/// <summary>
/// A bid at the asking price on the lot on offer. <see cref="Amount"/> is the asking price the bidder saw:
/// if it moved on meanwhile the bid is refused (<c>ASKING_PRICE_CHANGED</c>) rather than placed at a price
/// they did not agree to.
/// </summary>
/// <param name="LotId">The lot the bidder is bidding on.</param>
/// <param name="Amount">The asking price the bidder accepts.</param>
/// <param name="Source"><see cref="BidSource.Online"/> or <see cref="BidSource.Floor"/>.</param>
/// <param name="BidderId">The online bidder (null for a floor bid).</param>
/// <param name="BidderName">The online bidder's display name (null for a floor bid).</param>
/// <param name="FloorPaddle">The paddle number the clerk saw in the room (floor bids only).</param>
public sealed record SaleBidRequest(LotId LotId, Money Amount, BidSource Source, UserId? BidderId = null, string? BidderName = null, int FloorPaddle = 0)
{
    /// <summary>An online bid by a signed-in user.</summary>
    public static SaleBidRequest Online(LotId lot, Money amount, UserId bidder, string name) => new(lot, amount, BidSource.Online, bidder, name);

    /// <summary>A floor bid entered by the clerk.</summary>
    public static SaleBidRequest Floor(LotId lot, Money amount, int paddle) => new(lot, amount, BidSource.Floor, FloorPaddle: paddle);
}

namespace RemateLive.Domain;

/// <summary>Where a bidder stands on an auction they have bid on.</summary>
public enum MyBidStatus
{
    /// <summary>Open, and the bidder leads.</summary>
    Leading,

    /// <summary>Open, and someone else leads.</summary>
    Outbid,

    /// <summary>Closed with the bidder as winner.</summary>
    Won,

    /// <summary>Closed without the bidder winning (someone else won, or the reserve was not met).</summary>
    Lost,

    /// <summary>Cancelled.</summary>
    Cancelled,
}

/// <summary>
/// One line of a bidder's "my bids": the auction's public view, where they stand, their highest bid and —
/// shown only to them while they lead — their own maximum.
/// </summary>
/// <param name="Auction">The auction as everyone sees it.</param>
/// <param name="Status">Where the bidder stands.</param>
/// <param name="HighestBidCents">The bidder's highest accepted bid.</param>
/// <param name="MaxCents">The bidder's secret maximum while they lead; null otherwise.</param>
/// <param name="LastBidAt">When the bidder last bid.</param>
public sealed record MyBid(AuctionView Auction, MyBidStatus Status, long HighestBidCents, long? MaxCents, DateTimeOffset LastBidAt)
{
    /// <summary>Where <paramref name="bidder"/> stands on <paramref name="auction"/>.</summary>
    public static MyBidStatus StatusOf(AuctionState auction, UserId bidder)
    {
        ArgumentNullException.ThrowIfNull(auction);
        return auction.Status switch
        {
            AuctionStatus.Cancelled => MyBidStatus.Cancelled,
            AuctionStatus.Closed => auction.WinnerId == bidder ? MyBidStatus.Won : MyBidStatus.Lost,
            _ => auction.LeaderId == bidder ? MyBidStatus.Leading : MyBidStatus.Outbid,
        };
    }

    /// <summary>
    /// The secret maximum <paramref name="bidder"/> may see of their own: only while they lead (their maximum, or the
    /// price when they bid without one); null for everyone else and once the auction is over.
    /// </summary>
    public static long? OwnMaximumCents(AuctionState auction, UserId bidder) =>
        StatusOf(auction, bidder) == MyBidStatus.Leading ? (auction.LeaderMax ?? auction.CurrentPrice)?.Cents : null;
}

namespace RemateLive.Domain;

/// <summary>The lifecycle of an auction: scheduled → open → closed | cancelled.</summary>
public enum AuctionStatus
{
    /// <summary>Created; bidding starts at <c>starts_at</c>.</summary>
    Scheduled,

    /// <summary>Accepting bids until <c>ends_at</c>.</summary>
    Open,

    /// <summary>Ended (deadline, admin or buy-now); final.</summary>
    Closed,

    /// <summary>Cancelled by an admin; final.</summary>
    Cancelled,
}

/// <summary>How a bid came to be.</summary>
public enum BidKind
{
    /// <summary>Placed by the bidder at the amount shown.</summary>
    Manual,

    /// <summary>Placed by the system on behalf of a bidder's maximum.</summary>
    Proxy,

    /// <summary>The buy-now price, which closes the auction.</summary>
    BuyNow,
}

/// <summary>Why an auction closed.</summary>
public enum CloseReason
{
    /// <summary>Its <c>ends_at</c> passed.</summary>
    Ended,

    /// <summary>An admin closed it.</summary>
    Admin,

    /// <summary>Someone bought it at the buy-now price.</summary>
    BuyNow,
}

namespace RemateLive.Sales;

/// <summary>The lifecycle of a sale: scheduled → running ⇄ paused → ended.</summary>
public enum SaleStatus
{
    /// <summary>Created; no lot offered yet. Absentee bids are taken.</summary>
    Scheduled,

    /// <summary>The auctioneer is calling lots.</summary>
    Running,

    /// <summary>Held by the auctioneer: no bids, no lot changes until resumed.</summary>
    Paused,

    /// <summary>Every lot is sold, passed or withdrawn; final.</summary>
    Ended,
}

/// <summary>The lifecycle of a lot: pending → open ⇄ fair warning → sold | passed; withdrawn before it is sold or passed.</summary>
public enum LotStatus
{
    /// <summary>Not offered yet; absentee bids are taken.</summary>
    Pending,

    /// <summary>Offered: bids at the asking price are taken.</summary>
    Open,

    /// <summary>"Going once, going twice": still taking bids (a bid re-opens it).</summary>
    FairWarning,

    /// <summary>Knocked down to the leading bid; final.</summary>
    Sold,

    /// <summary>Not sold (no bid, or the auctioneer passed it); final.</summary>
    Passed,

    /// <summary>Taken out of the sale; final.</summary>
    Withdrawn,
}

/// <summary>Where a bid in a live sale came from.</summary>
public enum BidSource
{
    /// <summary>A signed-in bidder over the internet.</summary>
    Online,

    /// <summary>The room: a clerk entered the paddle number.</summary>
    Floor,

    /// <summary>An absentee maximum left before the lot opened, bidding on its owner's behalf.</summary>
    Absentee,
}

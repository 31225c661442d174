namespace RemateLive.Sales;

/// <summary>Stable error codes of live sales (besides the shared <see cref="Domain.ErrorCodes"/>).</summary>
public static class SaleErrorCodes
{
    /// <summary>The sale is paused: no bids and no lot changes until it is resumed.</summary>
    public const string SalePaused = "SALE_PAUSED";

    /// <summary>The sale has ended.</summary>
    public const string SaleEnded = "SALE_ENDED";

    /// <summary>The sale is not paused (resume), or not running (pause).</summary>
    public const string SaleNotRunning = "SALE_NOT_RUNNING";

    /// <summary>The lot is not the one on offer, or it is not open for bids.</summary>
    public const string LotNotOpen = "LOT_NOT_OPEN";

    /// <summary>The lot has already been offered (absentee bids, opening, withdrawing need a pending lot).</summary>
    public const string LotNotPending = "LOT_NOT_PENDING";

    /// <summary>Another lot is on offer: sell, pass or withdraw it first.</summary>
    public const string LotInProgress = "LOT_IN_PROGRESS";

    /// <summary>No lot is left to offer.</summary>
    public const string NoPendingLots = "NO_PENDING_LOTS";

    /// <summary>The lot cannot be sold without a bid.</summary>
    public const string NoLeadingBid = "NO_LEADING_BID";

    /// <summary>The bid was not at the current asking price (it moved on); the current one is in the answer.</summary>
    public const string AskingPriceChanged = "ASKING_PRICE_CHANGED";

    /// <summary>The bidder (or floor paddle) already holds the leading bid.</summary>
    public const string AlreadyLeading = "ALREADY_LEADING";

    /// <summary>
    /// A connection fell too far behind while catching up (more live events arrived than it may hold back);
    /// it is closed: reconnect and resume from the last seq received.
    /// </summary>
    public const string CatchUpOverflow = "CATCH_UP_OVERFLOW";
}

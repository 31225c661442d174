namespace RemateLive.Domain;

/// <summary>Stable error codes shared by REST problem details and socket <c>bid_error</c>/<c>error</c> messages.</summary>
public static class ErrorCodes
{
    /// <summary>The amount is below the minimum next bid.</summary>
    public const string BidTooLow = "BID_TOO_LOW";

    /// <summary>The bid lost too many optimistic-concurrency races; retrying is safe.</summary>
    public const string Concurrency = "CONCURRENCY";

    /// <summary>The auction has closed or was cancelled.</summary>
    public const string AuctionClosed = "AUCTION_CLOSED";

    /// <summary>The auction has not started yet.</summary>
    public const string AuctionNotOpen = "AUCTION_NOT_OPEN";

    /// <summary>Too many requests; retry after the given delay.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The caller is not signed in.</summary>
    public const string NotAuthenticated = "NOT_AUTHENTICATED";

    /// <summary>The seller cannot bid on their own auction.</summary>
    public const string SellerCannotBid = "SELLER_CANNOT_BID";

    /// <summary>The amount is zero, negative, fractional, above the ceiling or below the bid itself (for a maximum).</summary>
    public const string InvalidAmount = "INVALID_AMOUNT";

    /// <summary>No such auction (or resource).</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>The username is claimed by someone else.</summary>
    public const string UsernameTaken = "USERNAME_TAKEN";

    /// <summary>A socket message that is not valid JSON, has an unknown type or wrongly typed fields.</summary>
    public const string InvalidMessage = "INVALID_MESSAGE";

    /// <summary>A request body failed validation.</summary>
    public const string ValidationFailed = "VALIDATION_FAILED";

    /// <summary>The caller lacks the required role.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>A dependency (the store) is temporarily unavailable; nothing was acknowledged.</summary>
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>The user's watchlist is full.</summary>
    public const string WatchlistFull = "WATCHLIST_FULL";

    /// <summary>Only the current leader may raise their maximum without bidding.</summary>
    public const string NotLeading = "NOT_LEADING";

    /// <summary>A new maximum must be above the leader's current one.</summary>
    public const string MaxTooLow = "MAX_TOO_LOW";
}

/// <summary>A domain failure: a stable <see cref="Code"/> (see <see cref="ErrorCodes"/>) and a human message.</summary>
public sealed record DomainError(string Code, string Message);

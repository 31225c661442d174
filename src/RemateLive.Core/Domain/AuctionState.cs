using RemateLive.Increments;

namespace RemateLive.Domain;

/// <summary>
/// The persisted state of an auction, as stores keep it. Immutable; the <see cref="Auction"/> aggregate
/// produces the next state together with the events that explain it. Contains secrets
/// (<see cref="ReservePrice"/>, <see cref="LeaderMax"/>) that never leave the server: expose
/// <see cref="AuctionView"/> instead.
/// </summary>
public sealed record AuctionState
{
    /// <summary>The auction's id.</summary>
    public required AuctionId Id { get; init; }

    /// <summary>Title shown to bidders.</summary>
    public required string Title { get; init; }

    /// <summary>Description shown to bidders.</summary>
    public string Description { get; init; } = "";

    /// <summary>Optional picture.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>ISO 4217 code; display only.</summary>
    public required string Currency { get; init; }

    /// <summary>Who sells (cannot bid).</summary>
    public required UserId SellerId { get; init; }

    /// <summary>The first bid must be at least this.</summary>
    public required Money StartingPrice { get; init; }

    /// <summary>How the minimum next bid grows.</summary>
    public required IncrementRule Increment { get; init; }

    /// <summary>Secret minimum price for a sale.</summary>
    public Money? ReservePrice { get; init; }

    /// <summary>Price that closes the auction at once, while offered.</summary>
    public Money? BuyNowPrice { get; init; }

    /// <summary>Anti-sniping policy, if any.</summary>
    public SoftClosePolicy? SoftClose { get; init; }

    /// <summary>Bidding starts.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>Bidding ends (moves with soft-close extensions).</summary>
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>Stored status; see <see cref="Auction.EffectiveStatus"/> for time-derived opening.</summary>
    public required AuctionStatus Status { get; init; }

    /// <summary>Price of the latest accepted bid, or null without bids.</summary>
    public Money? CurrentPrice { get; init; }

    /// <summary>Current high bidder.</summary>
    public UserId? LeaderId { get; init; }

    /// <summary>Current high bidder's display name (their paddle, "Paddle N", in an anonymous auction).</summary>
    public string? LeaderName { get; init; }

    /// <summary>Current high bidder's paddle number on this auction.</summary>
    public int? LeaderPaddle { get; init; }

    /// <summary>Secret: the leader's maximum (proxy) bid.</summary>
    public Money? LeaderMax { get; init; }

    /// <summary>Accepted bids so far.</summary>
    public int BidCount { get; init; }

    /// <summary>Soft-close extensions so far.</summary>
    public int Extensions { get; init; }

    /// <summary>The <c>seq</c> of the latest event (0 before any).</summary>
    public long Version { get; init; }

    /// <summary>When the auction was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it closed or was cancelled.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The winner, once closed with a met reserve.</summary>
    public UserId? WinnerId { get; init; }

    /// <summary>The winner's display name.</summary>
    public string? WinnerName { get; init; }

    /// <summary>The winner's paddle number.</summary>
    public int? WinnerPaddle { get; init; }

    /// <summary>Bidders are shown by paddle ("Paddle 12"), never by name.</summary>
    public bool AnonymousBidding { get; init; }
}

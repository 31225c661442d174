using RemateLive.Domain;

namespace RemateLive.Events;

/// <summary>
/// A durable auction event. <see cref="Seq"/> is per auction, gap-free and strictly increasing; an
/// auction's version equals the seq of its latest event.
/// </summary>
public abstract record AuctionEvent(AuctionId AuctionId, long Seq, DateTimeOffset OccurredAt);

/// <summary>A bid was accepted (manual, proxy or buy-now).</summary>
/// <param name="AuctionId">The auction.</param>
/// <param name="Seq">This event's seq (= the bid's seq).</param>
/// <param name="OccurredAt">When it was accepted.</param>
/// <param name="Bid">The bid.</param>
/// <param name="MinNextBid">The minimum next bid after it.</param>
/// <param name="BidCount">Accepted bids after it.</param>
/// <param name="EndsAt">The end of the auction at that moment (an extension follows as its own event).</param>
/// <param name="ReserveMet">Whether the reserve is met after it (null without reserve).</param>
/// <param name="BuyNowPrice">The buy-now price still offered after it, if any.</param>
/// <param name="OutbidUserId">Who lost the lead because of this bid, if anyone.</param>
/// <param name="IdempotencyKey">The bidder's key; shown only to the bidder.</param>
public sealed record BidPlaced(
    AuctionId AuctionId,
    long Seq,
    DateTimeOffset OccurredAt,
    Bid Bid,
    Money MinNextBid,
    int BidCount,
    DateTimeOffset EndsAt,
    bool? ReserveMet,
    Money? BuyNowPrice,
    UserId? OutbidUserId,
    string? IdempotencyKey) : AuctionEvent(AuctionId, Seq, OccurredAt);

/// <summary>
/// The leader raised their secret maximum without bidding; the price did not move. <see cref="Maximum"/> and
/// <see cref="IdempotencyKey"/> are shown only to that bidder: everyone else learns only that the leader
/// (by paddle) raised it.
/// </summary>
/// <param name="AuctionId">The auction.</param>
/// <param name="Seq">This event's seq.</param>
/// <param name="OccurredAt">When it was accepted.</param>
/// <param name="BidderId">The leader.</param>
/// <param name="Paddle">The leader's paddle on this auction.</param>
/// <param name="Maximum">The new maximum (secret).</param>
/// <param name="IdempotencyKey">The bidder's key; shown only to the bidder.</param>
public sealed record MaximumRaised(
    AuctionId AuctionId,
    long Seq,
    DateTimeOffset OccurredAt,
    UserId BidderId,
    int Paddle,
    Money Maximum,
    string? IdempotencyKey) : AuctionEvent(AuctionId, Seq, OccurredAt);

/// <summary>Soft close moved the end.</summary>
public sealed record AuctionExtended(
    AuctionId AuctionId,
    long Seq,
    DateTimeOffset OccurredAt,
    DateTimeOffset EndsAt,
    int Extensions) : AuctionEvent(AuctionId, Seq, OccurredAt);

/// <summary>The auction closed; <see cref="WinnerId"/> is set when there was a leader and the reserve (if any) was met.</summary>
public sealed record AuctionClosed(
    AuctionId AuctionId,
    long Seq,
    DateTimeOffset OccurredAt,
    UserId? WinnerId,
    string? WinnerName,
    Money? FinalPrice,
    bool? ReserveMet,
    CloseReason Reason,
    int? WinnerPaddle = null,
    AuctionActor? Actor = null) : AuctionEvent(AuctionId, Seq, OccurredAt);

/// <summary>An admin cancelled the auction.</summary>
public sealed record AuctionCancelled(
    AuctionId AuctionId,
    long Seq,
    DateTimeOffset OccurredAt,
    string Reason,
    AuctionActor? Actor = null) : AuctionEvent(AuctionId, Seq, OccurredAt);

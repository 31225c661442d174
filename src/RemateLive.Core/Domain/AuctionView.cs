namespace RemateLive.Domain;

/// <summary>
/// What anyone may see of an auction at <see cref="ServerTime"/> (the spec's <c>auction</c> object).
/// Never carries the reserve amount nor anyone's maximum bid.
/// </summary>
public sealed record AuctionView(
    AuctionId Id,
    string Title,
    string Description,
    string? ImageUrl,
    string Currency,
    AuctionStatus Status,
    long StartingPriceCents,
    long CurrentPriceCents,
    long MinNextBidCents,
    int BidCount,
    string? LeaderName,
    bool? ReserveMet,
    long? BuyNowPriceCents,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int Extensions,
    long Version,
    UserId SellerId,
    string? WinnerName,
    DateTimeOffset ServerTime,
    int? LeaderPaddle = null,
    int? WinnerPaddle = null,
    bool AnonymousBidding = false);

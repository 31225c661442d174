namespace RemateLive.Domain;

/// <summary>An accepted bid. A bidder's maximum is never part of it.</summary>
public sealed record Bid(
    BidId Id,
    AuctionId AuctionId,
    UserId BidderId,
    string BidderName,
    Money Amount,
    long Seq,
    DateTimeOffset PlacedAt,
    BidKind Kind);

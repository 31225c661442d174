namespace RemateLive.Domain;

/// <summary>An accepted bid. A bidder's maximum is never part of it.</summary>
/// <remarks><c>Paddle</c> is the bidder's paddle number on this auction (opaque, per auction; 0 for bids stored before paddles existed).</remarks>
public sealed record Bid(
    BidId Id,
    AuctionId AuctionId,
    UserId BidderId,
    string BidderName,
    Money Amount,
    long Seq,
    DateTimeOffset PlacedAt,
    BidKind Kind,
    int Paddle = 0);

using RemateLive.Domain;

namespace RemateLive.Ports;

/// <summary>An auction a bidder has bid on, with their own highest accepted bid (the store's answer for "my bids").</summary>
/// <param name="Auction">The auction's latest state.</param>
/// <param name="HighestBid">The bidder's highest accepted bid on it (proxy bids included).</param>
/// <param name="LastBidAt">When the bidder's latest accepted bid was placed.</param>
public sealed record BidderAuction(AuctionState Auction, Money HighestBid, DateTimeOffset LastBidAt);

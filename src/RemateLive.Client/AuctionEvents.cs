namespace RemateLive.Client;

/// <summary>Something the client reports through <see cref="RemateLiveClient.ReadEventsAsync"/>.</summary>
public abstract record AuctionEvent;

/// <summary>A durable auction event: every one arrives exactly once, in <see cref="Seq"/> order, across reconnects.</summary>
/// <param name="Seq">The per-auction sequence number (gap-free, strictly increasing).</param>
public abstract record SequencedEvent(long Seq) : AuctionEvent;

/// <summary>A bid was accepted (<c>bid_placed</c>).</summary>
/// <param name="Seq">The bid's sequence number (= the auction's new version).</param>
/// <param name="BidId">The bid's id.</param>
/// <param name="BidderName">The bidder's display name (<c>"Paddle N"</c> in anonymous auctions).</param>
/// <param name="Paddle">The bidder's opaque number in this auction.</param>
/// <param name="AmountCents">The amount in cents.</param>
/// <param name="PlacedAt">When the server placed it.</param>
/// <param name="EndsAt">The auction's end after this bid (soft close may move it).</param>
/// <param name="MinNextBidCents">The minimum next bid.</param>
/// <param name="BidCount">Bids so far.</param>
/// <param name="Kind"><c>manual</c>, <c>proxy</c> or <c>buy_now</c>.</param>
/// <param name="Yours">True when this client's user placed it.</param>
public sealed record BidPlaced(
    long Seq, string BidId, string BidderName, int Paddle, long AmountCents, DateTimeOffset PlacedAt, DateTimeOffset EndsAt,
    long MinNextBidCents, int BidCount, string Kind, bool Yours) : SequencedEvent(Seq);

/// <summary>The leader raised their secret maximum without bidding; the price did not move (<c>max_raised</c>).</summary>
/// <param name="Seq">The event's sequence number.</param>
/// <param name="Paddle">The leader's paddle.</param>
/// <param name="Yours">True when this client's user raised it.</param>
/// <param name="MaxAmountCents">The new maximum: only when <paramref name="Yours"/> (and only live, not from a gap fill).</param>
public sealed record MaximumRaised(long Seq, int Paddle, bool Yours, long? MaxAmountCents) : SequencedEvent(Seq);

/// <summary>
/// A durable event of a type this client version does not know: delivered so that the sequence stays
/// gap-free when a newer server adds event types.
/// </summary>
/// <param name="Seq">The event's sequence number.</param>
/// <param name="Type">The server's <c>type</c>.</param>
public sealed record OtherEvent(long Seq, string Type) : SequencedEvent(Seq);

/// <summary>Soft close moved the end (<c>auction_extended</c>).</summary>
/// <param name="Seq">The event's sequence number.</param>
/// <param name="EndsAt">The new end.</param>
/// <param name="Extensions">Extensions so far.</param>
public sealed record AuctionExtended(long Seq, DateTimeOffset EndsAt, int Extensions) : SequencedEvent(Seq);

/// <summary>The auction closed (<c>auction_closed</c>).</summary>
/// <param name="Seq">The event's sequence number.</param>
/// <param name="WinnerName">The winner's name, null without a winner.</param>
/// <param name="WinnerPaddle">The winner's paddle, null without a winner.</param>
/// <param name="FinalPriceCents">The price, null without a winner.</param>
/// <param name="ReserveMet">Whether the reserve was met (null: no reserve).</param>
/// <param name="Reason"><c>ended</c>, <c>admin</c> or <c>buy_now</c>.</param>
public sealed record AuctionClosed(long Seq, string? WinnerName, int? WinnerPaddle, long? FinalPriceCents, bool? ReserveMet, string Reason) : SequencedEvent(Seq);

/// <summary>The auction was cancelled (<c>auction_cancelled</c>).</summary>
/// <param name="Seq">The event's sequence number.</param>
/// <param name="Reason">Why.</param>
public sealed record AuctionCancelled(long Seq, string Reason) : SequencedEvent(Seq);

/// <summary>This user lost the lead (<c>outbid</c>, right after the <see cref="BidPlaced"/> that did it; not durable, may be missed while disconnected).</summary>
/// <param name="AmountCents">The new leading amount.</param>
/// <param name="BidderName">The new leader's name.</param>
/// <param name="Paddle">The new leader's paddle.</param>
/// <param name="MinNextBidCents">The minimum next bid.</param>
/// <param name="Seq">The seq of the bid that outbid this user.</param>
public sealed record Outbid(long AmountCents, string BidderName, int Paddle, long MinNextBidCents, long Seq) : AuctionEvent;

/// <summary>Someone joined or left the room (<c>user_joined</c>/<c>user_left</c>; not durable, coalesced in big rooms).</summary>
/// <param name="Joined">True for a join, false for a leave.</param>
/// <param name="Username">The user.</param>
/// <param name="DisplayName">The user's display name.</param>
/// <param name="OnlineCount">Users online now.</param>
public sealed record PresenceChanged(bool Joined, string Username, string DisplayName, int OnlineCount) : AuctionEvent;

/// <summary>The client is (again) signed in to the room (<c>auth_ok</c>): missed events follow, in order.</summary>
/// <param name="Auction">The auction snapshot at connect time.</param>
/// <param name="OnlineCount">Users online.</param>
/// <param name="Resumed">False the first time; true after a reconnect (resumed from <see cref="RemateLiveClient.LastSeq"/>).</param>
public sealed record Connected(AuctionSnapshot Auction, int OnlineCount, bool Resumed) : AuctionEvent;

/// <summary>The connection was lost; the client reconnects by itself (pending bids wait for it).</summary>
/// <param name="Reason">What happened (close status or exception message).</param>
public sealed record Disconnected(string Reason) : AuctionEvent;

/// <summary>The auction as <c>auth_ok</c> describes it (a subset of the server's fields).</summary>
/// <param name="Id">The auction id.</param>
/// <param name="Title">The title.</param>
/// <param name="Currency">ISO currency code.</param>
/// <param name="Status"><c>scheduled</c>, <c>open</c>, <c>closed</c> or <c>cancelled</c>.</param>
/// <param name="CurrentPriceCents">The current price.</param>
/// <param name="MinNextBidCents">The minimum next bid.</param>
/// <param name="BidCount">Bids so far.</param>
/// <param name="LeaderName">The leader's name, if any.</param>
/// <param name="LeaderPaddle">The leader's paddle, if any.</param>
/// <param name="EndsAt">The end.</param>
/// <param name="Version">The seq of the latest event.</param>
public sealed record AuctionSnapshot(
    string Id, string Title, string Currency, string Status, long CurrentPriceCents, long MinNextBidCents, int BidCount,
    string? LeaderName, int? LeaderPaddle, DateTimeOffset EndsAt, long Version);

/// <summary>The outcome of <see cref="RemateLiveClient.PlaceBidAsync"/>: exactly one per idempotency key.</summary>
/// <param name="IdempotencyKey">The key the bid was sent with (every retry reuses it).</param>
/// <param name="Accepted">True when the bid was placed.</param>
/// <param name="Bid">The placed bid (when accepted).</param>
/// <param name="ErrorCode">The <c>bid_error</c> code (when refused), e.g. <c>BID_TOO_LOW</c>.</param>
/// <param name="Error">The server's message (when refused).</param>
/// <param name="MinNextBidCents">The auction's minimum next bid as the server last reported it, if known.</param>
/// <param name="Raised">For <see cref="RemateLiveClient.RaiseMaximumAsync"/>: the raised maximum (when the price did not move).</param>
public sealed record BidResult(string IdempotencyKey, bool Accepted, BidPlaced? Bid, string? ErrorCode, string? Error, long? MinNextBidCents, MaximumRaised? Raised = null);

namespace RemateLive.Domain;

/// <summary>A bid as the domain sees it, after amounts were parsed into <see cref="Money"/>.</summary>
/// <param name="BidderId">Who bids.</param>
/// <param name="BidderName">Their display name.</param>
/// <param name="Amount">The bid.</param>
/// <param name="MaxAmount">Optional secret maximum for proxy bidding (at least <paramref name="Amount"/>).</param>
/// <param name="IdempotencyKey">Optional key; the same key from the same user never creates a second bid.</param>
/// <param name="Paddle">The bidder's paddle number on this auction (0 when none was assigned).</param>
/// <param name="RaisesMaximumOnly">
/// The leader raises their secret maximum to <paramref name="MaxAmount"/> without bidding: the price stays
/// (see <see cref="Auction.RaiseMaximum"/>); <paramref name="Amount"/> is ignored.
/// </param>
public sealed record BidRequest(
    UserId BidderId,
    string BidderName,
    Money Amount,
    Money? MaxAmount = null,
    string? IdempotencyKey = null,
    int Paddle = 0,
    bool RaisesMaximumOnly = false);

using RemateLive.Domain;

namespace RemateLive.Worker;

/// <summary>What the auction house owes the seller and bills the winner: one per auction won.</summary>
internal sealed record Settlement(AuctionId AuctionId, UserId SellerId, UserId WinnerId, string WinnerName, long AmountCents, string Currency, DateTimeOffset ClosedAt)
{
    /// <summary>The settlement of <paramref name="auction"/>, or null when it did not close with a winner.</summary>
    public static Settlement? For(AuctionState auction) =>
        auction is { Status: AuctionStatus.Closed, WinnerId: { } winner, CurrentPrice: { } price }
            ? new Settlement(auction.Id, auction.SellerId, winner, auction.WinnerName ?? "", price.Cents, auction.Currency, auction.ClosedAt ?? auction.EndsAt)
            : null;
}

using RemateLive.Domain;
using RemateLive.Increments;

namespace RemateLive.Core.Tests.Support;

/// <summary>Fixed times and builders for domain tests.</summary>
internal static class TestAuctions
{
    public static readonly DateTimeOffset Start = new(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = Start.AddHours(1);
    public static readonly UserId Seller = new(Guid.Parse("00000000-0000-7000-8000-000000000001"));

    /// <summary>Open from <see cref="Start"/> to <see cref="End"/>, starting price 1,000, fixed increment 100.</summary>
    public static AuctionState State(
        long startingPrice = 1_000,
        IncrementRule? increment = null,
        long? reserve = null,
        long? buyNow = null,
        SoftClosePolicy? softClose = null) => new()
        {
            Id = AuctionId.New(),
            Title = "Lot",
            Currency = "USD",
            SellerId = Seller,
            StartingPrice = Money.FromCents(startingPrice),
            Increment = increment ?? IncrementRule.Fixed(100),
            ReservePrice = reserve is { } r ? Money.FromCents(r) : null,
            BuyNowPrice = buyNow is { } b ? Money.FromCents(b) : null,
            SoftClose = softClose,
            StartsAt = Start,
            EndsAt = End,
            Status = AuctionStatus.Open,
            CreatedAt = Start.AddMinutes(-5),
        };

    public static Auction Load(AuctionState state) => Auction.Load(state, BidIncrementStrategies.BuiltIn.Get(state.Increment.Kind));

    public static BidRequest Bid(UserId bidder, long amount, long? max = null, string? key = null) =>
        new(bidder, Name(bidder), Money.FromCents(amount), max is { } m ? Money.FromCents(m) : null, key);

    public static string Name(UserId id) => "u" + id.Value.ToString("N")[^6..];
}

using RemateLive.Domain;
using RemateLive.Increments;

namespace RemateLive.Testing;

/// <summary>
/// Builders for the auctions the compliance tests create. Every call makes a fresh id, so tests sharing
/// one database or key space never see each other's auctions.
/// </summary>
public static class ComplianceAuctions
{
    /// <summary>
    /// A new open auction (version 0) that started an hour before <paramref name="now"/> and ends an
    /// hour after it, fixed increment of 100 cents, starting price 1,000 cents. Times are whole seconds
    /// so stores with microsecond precision round-trip them exactly.
    /// </summary>
    public static AuctionState Open(DateTimeOffset now, TimeSpan? endsIn = null) => new()
    {
        Id = AuctionId.New(),
        Title = "Compliance lot",
        Description = "Created by the Remate Live compliance kit.",
        Currency = "USD",
        SellerId = UserId.New(),
        StartingPrice = Money.FromCents(1_000),
        Increment = IncrementRule.Fixed(100),
        StartsAt = Truncate(now).AddHours(-1),
        EndsAt = Truncate(now).Add(endsIn ?? TimeSpan.FromHours(1)),
        Status = AuctionStatus.Open,
        CreatedAt = Truncate(now).AddHours(-1),
    };

    /// <summary>An open auction whose end passed an hour before <paramref name="now"/> (due for closing).</summary>
    public static AuctionState Ended(DateTimeOffset now) => Open(now, TimeSpan.FromHours(-1)) with { StartsAt = Truncate(now).AddHours(-2), CreatedAt = Truncate(now).AddHours(-2) };

    /// <summary><paramref name="time"/> cut to whole seconds (UTC).</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

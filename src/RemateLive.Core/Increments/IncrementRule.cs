namespace RemateLive.Increments;

/// <summary>
/// An auction's increment settings: which strategy (<see cref="Kind"/>) and its parameters.
/// Built-in kinds: <c>fixed</c> (<see cref="AmountCents"/>), <c>percent</c> (<see cref="BasisPoints"/>,
/// 100 = 1 %) and <c>tiered</c> (<see cref="Tiers"/>). Custom strategies may use any of the fields.
/// </summary>
public sealed record IncrementRule
{
    /// <summary>The strategy's kind, e.g. <c>fixed</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>A fixed increment in cents.</summary>
    public long? AmountCents { get; init; }

    /// <summary>A percentage increment in basis points (1/100 of a percent).</summary>
    public int? BasisPoints { get; init; }

    /// <summary>Bands of increments, by the price they start from.</summary>
    public IReadOnlyList<IncrementTier>? Tiers { get; init; }

    /// <summary>A fixed increment.</summary>
    public static IncrementRule Fixed(long amountCents) => new() { Kind = FixedIncrement.KindName, AmountCents = amountCents };

    /// <summary>A percentage increment (basis points: 500 = 5 %).</summary>
    public static IncrementRule Percent(int basisPoints) => new() { Kind = PercentIncrement.KindName, BasisPoints = basisPoints };

    /// <summary>A tiered (eBay-style) table of increments.</summary>
    public static IncrementRule Tiered(params IncrementTier[] tiers) => new() { Kind = TieredIncrement.KindName, Tiers = tiers };
}

/// <summary>From <see cref="FromCents"/> upwards, the increment is <see cref="IncrementCents"/>.</summary>
public readonly record struct IncrementTier(long FromCents, long IncrementCents);

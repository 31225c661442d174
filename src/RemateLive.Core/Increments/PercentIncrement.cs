using RemateLive.Domain;

namespace RemateLive.Increments;

/// <summary>The next bid is at least the current price plus a percentage of it (rounded up, at least one cent).</summary>
internal sealed class PercentIncrement : IBidIncrementStrategy
{
    /// <summary>The kind name: <c>percent</c>.</summary>
    public const string KindName = "percent";

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public Money MinimumNextBid(Money currentPrice, IncrementRule rule)
    {
        var bp = rule.BasisPoints ?? 100;
        // Integer arithmetic only: ceil(price * bp / 10000) without floats; Int128 keeps it exact near the ceiling.
        var increment = (long)(((Int128)currentPrice.Cents * bp + 9_999) / 10_000);
        return currentPrice + Money.FromCents(Math.Max(1, increment));
    }

    /// <inheritdoc/>
    public string? Validate(IncrementRule rule) =>
        rule.BasisPoints is > 0 and <= 100_000 ? null : "A percent increment needs basis_points between 1 and 100000.";
}

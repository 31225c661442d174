using RemateLive.Domain;

namespace RemateLive.Increments;

/// <summary>The next bid is at least the current price plus a fixed amount.</summary>
internal sealed class FixedIncrement : IBidIncrementStrategy
{
    /// <summary>The kind name: <c>fixed</c>.</summary>
    public const string KindName = "fixed";

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public Money MinimumNextBid(Money currentPrice, IncrementRule rule) =>
        currentPrice + Money.FromCents(rule.AmountCents ?? 1);

    /// <inheritdoc/>
    public string? Validate(IncrementRule rule) =>
        rule.AmountCents is > 0 ? null : "A fixed increment needs amount_cents > 0.";
}

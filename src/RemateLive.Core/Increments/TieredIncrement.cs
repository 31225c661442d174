using RemateLive.Domain;

namespace RemateLive.Increments;

/// <summary>
/// eBay-style bands: the increment is that of the highest band whose <see cref="IncrementTier.FromCents"/>
/// is at most the current price.
/// </summary>
internal sealed class TieredIncrement : IBidIncrementStrategy
{
    /// <summary>The kind name: <c>tiered</c>.</summary>
    public const string KindName = "tiered";

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public Money MinimumNextBid(Money currentPrice, IncrementRule rule)
    {
        long increment = 1;
        if (rule.Tiers is { } tiers)
        {
            foreach (var tier in tiers)
            {
                if (tier.FromCents <= currentPrice.Cents)
                {
                    increment = tier.IncrementCents;
                }
            }
        }

        return currentPrice + Money.FromCents(increment);
    }

    /// <inheritdoc/>
    public string? Validate(IncrementRule rule)
    {
        if (rule.Tiers is not { Count: > 0 } tiers)
        {
            return "A tiered increment needs at least one tier.";
        }

        if (tiers[0].FromCents != 0)
        {
            return "The first tier must start at from_cents = 0.";
        }

        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i].IncrementCents <= 0)
            {
                return "Every tier needs increment_cents > 0.";
            }

            if (i > 0 && tiers[i].FromCents <= tiers[i - 1].FromCents)
            {
                return "Tiers must be sorted by from_cents, strictly increasing.";
            }
        }

        return null;
    }
}

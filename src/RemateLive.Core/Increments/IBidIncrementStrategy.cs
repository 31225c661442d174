using RemateLive.Domain;

namespace RemateLive.Increments;

/// <summary>
/// Decides the minimum next bid for an auction. Implementations are small, stateless and registered
/// in DI (assembly scanning picks up third-party ones); an auction selects one by <see cref="Kind"/>.
/// </summary>
public interface IBidIncrementStrategy
{
    /// <summary>The name auctions use to select this strategy (<see cref="IncrementRule.Kind"/>).</summary>
    string Kind { get; }

    /// <summary>The minimum next bid when the current price is <paramref name="currentPrice"/>; always greater than it.</summary>
    Money MinimumNextBid(Money currentPrice, IncrementRule rule);

    /// <summary>Why <paramref name="rule"/> is unusable for this strategy, or <c>null</c> when it is fine.</summary>
    string? Validate(IncrementRule rule) => null;
}

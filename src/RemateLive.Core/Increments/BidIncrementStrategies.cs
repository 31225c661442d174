using RemateLive.Domain;

namespace RemateLive.Increments;

/// <summary>The strategies known to this node, by <see cref="IBidIncrementStrategy.Kind"/>.</summary>
public sealed class BidIncrementStrategies
{
    private readonly Dictionary<string, IBidIncrementStrategy> _byKind;

    /// <summary>Indexes <paramref name="strategies"/> by kind (later registrations win).</summary>
    public BidIncrementStrategies(IEnumerable<IBidIncrementStrategy> strategies)
    {
        _byKind = new Dictionary<string, IBidIncrementStrategy>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in strategies)
        {
            _byKind[s.Kind] = s;
        }
    }

    /// <summary>The built-in strategies: fixed, percent and tiered.</summary>
    public static BidIncrementStrategies BuiltIn { get; } =
        new([new FixedIncrement(), new PercentIncrement(), new TieredIncrement()]);

    /// <summary>The known kinds.</summary>
    public IEnumerable<string> Kinds => _byKind.Keys;

    /// <summary>The strategy for <paramref name="kind"/>, if registered.</summary>
    public bool TryGet(string kind, out IBidIncrementStrategy strategy) => _byKind.TryGetValue(kind, out strategy!);

    /// <summary>The strategy for <paramref name="kind"/>; throws when unknown (a stored auction names a strategy this node lacks).</summary>
    public IBidIncrementStrategy Get(string kind) =>
        _byKind.TryGetValue(kind, out var s)
            ? s
            : throw new InvalidOperationException($"No bid increment strategy of kind '{kind}' is registered.");

    /// <summary>Why <paramref name="rule"/> is unusable, or null.</summary>
    public string? Validate(IncrementRule rule) =>
        TryGet(rule.Kind, out var s)
            ? s.Validate(rule)
            : $"Unknown increment kind '{rule.Kind}'. Known: {string.Join(", ", _byKind.Keys)}.";

    /// <summary>Convenience for callers holding a rule.</summary>
    public Money MinimumNextBid(Money currentPrice, IncrementRule rule) => Get(rule.Kind).MinimumNextBid(currentPrice, rule);
}

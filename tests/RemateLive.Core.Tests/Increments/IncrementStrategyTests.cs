using RemateLive.Domain;
using RemateLive.Increments;

namespace RemateLive.Core.Tests.Increments;

public sealed class IncrementStrategyTests
{
    private static Money Next(IncrementRule rule, long price) =>
        BidIncrementStrategies.BuiltIn.MinimumNextBid(Money.FromCents(price), rule);

    [Fact]
    public void Fixed_adds_the_amount()
    {
        Assert.Equal(1_250, Next(IncrementRule.Fixed(250), 1_000).Cents);
        Assert.Null(new FixedIncrement().Validate(IncrementRule.Fixed(1)));
        Assert.NotNull(new FixedIncrement().Validate(IncrementRule.Fixed(0)));
        Assert.NotNull(new FixedIncrement().Validate(new IncrementRule { Kind = "fixed" }));
    }

    [Theory]
    [InlineData(10_000, 500, 10_500)] // 5 % exact
    [InlineData(999, 500, 1_049)]     // 49.95 rounds up to 50
    [InlineData(1, 500, 2)]           // 0.05 rounds up to 1 cent
    [InlineData(0, 500, 1)]           // at least one cent
    [InlineData(10_001, 1, 10_003)]   // 1.0001 cents rounds up to 2
    public void Percent_rounds_up_to_whole_cents(long price, int basisPoints, long expected)
    {
        Assert.Equal(expected, Next(IncrementRule.Percent(basisPoints), price).Cents);
    }

    [Fact]
    public void Percent_is_exact_near_the_ceiling_and_validated()
    {
        var price = Money.DefaultCeilingCents;
        Assert.Equal(price + (price / 10), Next(IncrementRule.Percent(1_000), price).Cents);
        var percent = new PercentIncrement();
        Assert.Null(percent.Validate(IncrementRule.Percent(1)));
        Assert.Null(percent.Validate(IncrementRule.Percent(100_000)));
        Assert.NotNull(percent.Validate(IncrementRule.Percent(0)));
        Assert.NotNull(percent.Validate(IncrementRule.Percent(100_001)));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(99, 5)]
    [InlineData(100, 25)]     // band boundary belongs to the upper band
    [InlineData(4_999, 25)]
    [InlineData(5_000, 100)]
    [InlineData(1_000_000, 100)]
    public void Tiered_uses_the_highest_band_reached(long price, long increment)
    {
        var rule = IncrementRule.Tiered(new IncrementTier(0, 5), new IncrementTier(100, 25), new IncrementTier(5_000, 100));
        Assert.Equal(price + increment, Next(rule, price).Cents);
    }

    [Fact]
    public void Tiered_rules_are_validated()
    {
        var tiered = new TieredIncrement();
        Assert.Null(tiered.Validate(IncrementRule.Tiered(new IncrementTier(0, 5), new IncrementTier(100, 25))));
        Assert.Contains("at least one tier", tiered.Validate(IncrementRule.Tiered()));
        Assert.Contains("from_cents = 0", tiered.Validate(IncrementRule.Tiered(new IncrementTier(10, 5))));
        Assert.Contains("increment_cents > 0", tiered.Validate(IncrementRule.Tiered(new IncrementTier(0, 0))));
        Assert.Contains("strictly increasing", tiered.Validate(IncrementRule.Tiered(new IncrementTier(0, 5), new IncrementTier(0, 10))));
        Assert.Contains("strictly increasing", tiered.Validate(IncrementRule.Tiered(new IncrementTier(0, 5), new IncrementTier(200, 10), new IncrementTier(100, 20))));
    }

    [Fact]
    public void Registry_knows_built_ins_and_refuses_unknown_kinds()
    {
        var registry = BidIncrementStrategies.BuiltIn;
        Assert.Equal(new[] { "fixed", "percent", "tiered" }, registry.Kinds.Order());
        Assert.True(registry.TryGet("FIXED", out var s) && s is FixedIncrement);
        Assert.Contains("Unknown increment kind 'golden'", registry.Validate(new IncrementRule { Kind = "golden" }));
        Assert.Throws<InvalidOperationException>(() => registry.Get("golden"));
    }

    [Fact]
    public void A_custom_strategy_can_be_registered()
    {
        var registry = new BidIncrementStrategies([new FixedIncrement(), new DoublingIncrement()]);
        Assert.Equal(2_000, registry.MinimumNextBid(Money.FromCents(1_000), new IncrementRule { Kind = "doubling" }).Cents);
        Assert.Null(registry.Validate(new IncrementRule { Kind = "doubling" })); // default interface Validate
    }

    private sealed class DoublingIncrement : IBidIncrementStrategy
    {
        public string Kind => "doubling";

        public Money MinimumNextBid(Money currentPrice, IncrementRule rule) => currentPrice + currentPrice;
    }
}

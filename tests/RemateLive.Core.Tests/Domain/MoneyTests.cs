using RemateLive.Domain;

namespace RemateLive.Core.Tests.Domain;

public sealed class MoneyTests
{
    [Fact]
    public void Negative_amounts_are_impossible()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Money.FromCents(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Money.FromCents(100) - Money.FromCents(101));
        Assert.Equal(Money.Zero, Money.FromCents(0));
        Assert.Equal(0, default(Money).Cents);
    }

    [Fact]
    public void Arithmetic_is_checked()
    {
        Assert.Throws<OverflowException>(() => Money.FromCents(long.MaxValue) + Money.FromCents(1));
        Assert.Equal(Money.FromCents(350), Money.FromCents(200) + Money.FromCents(150));
        Assert.Equal(Money.FromCents(50), Money.FromCents(200) - Money.FromCents(150));
    }

    [Fact]
    public void Comparison_min_max_and_text()
    {
        var small = Money.FromCents(5);
        var big = Money.FromCents(7);
        Assert.True(small < big && big > small && small <= Money.FromCents(5) && big >= Money.FromCents(7));
        Assert.Equal(big, Money.Max(small, big));
        Assert.Equal(small, Money.Min(small, big));
        Assert.True(small.CompareTo(big) < 0);
        Assert.Equal("10000000000000", Money.FromCents(Money.DefaultCeilingCents).ToString());
    }
}

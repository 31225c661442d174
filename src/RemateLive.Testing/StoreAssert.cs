using RemateLive.Domain;
using Xunit;

namespace RemateLive.Testing;

// Field-by-field state comparison: record equality would compare increment tier lists by reference.
internal static class StoreAssert
{
    public static void SameState(AuctionState expected, AuctionState? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Increment = actual.Increment }, actual);
        Assert.Equal(expected.Increment.Kind, actual.Increment.Kind);
        Assert.Equal(expected.Increment.AmountCents, actual.Increment.AmountCents);
        Assert.Equal(expected.Increment.BasisPoints, actual.Increment.BasisPoints);
        Assert.Equal(expected.Increment.Tiers ?? [], actual.Increment.Tiers ?? []);
    }
}

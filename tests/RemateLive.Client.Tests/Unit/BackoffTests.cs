using RemateLive.Client.Internal;

namespace RemateLive.Client.Tests.Unit;

public sealed class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0, 125, 250)]
    [InlineData(1, 250, 500)]
    [InlineData(3, 1_000, 2_000)]
    [InlineData(10, 5_000, 10_000)]
    [InlineData(1_000, 5_000, 10_000)]
    public void EachAttemptWaitsBetweenHalfAndAllOfItsCap(int attempt, double lowMs, double highMs)
    {
        Assert.Equal(lowMs, new Backoff(Min, Max, () => 0).Delay(attempt).TotalMilliseconds, 3);
        Assert.Equal(highMs, new Backoff(Min, Max, () => 1).Delay(attempt).TotalMilliseconds, 3);
    }

    [Fact]
    public void JitterSpreadsAStormOfClients()
    {
        var backoff = new Backoff(Min, Max, new Random(42).NextDouble);
        var delays = Enumerable.Range(0, 1_000).Select(_ => backoff.Delay(2).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 500, 1_000));
        Assert.True(delays.Distinct().Count() > 900, "1,000 clients dropped at once must not reconnect in lockstep");
        Assert.InRange(delays.Average(), 700, 800);
    }
}

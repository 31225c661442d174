using Microsoft.Extensions.Time.Testing;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IRateLimiter"/> must honour: a bucket allows its capacity, then refuses
/// with a positive retry-after, refills over time up to its capacity, keys are independent, and it is
/// exact under concurrency. Implement <see cref="CreateLimiterAsync"/>. A limiter on the injected clock is
/// advanced with the <see cref="FakeTimeProvider"/> (the default <see cref="AdvanceAsync"/>); a limiter on
/// a server's clock overrides <see cref="AdvanceAsync"/> to wait real time — the rules used refill slowly
/// (2 tokens/s), so the margins are generous. Tests use fresh keys.
/// </summary>
public abstract class RateLimiterComplianceTests : IAsyncLifetime
{
    private IRateLimiter? _limiter;

    /// <summary>The clock handed to <see cref="CreateLimiterAsync"/>.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The limiter under test (created by <see cref="InitializeAsync"/>).</summary>
    protected IRateLimiter Limiter => _limiter ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the limiter under test; <paramref name="time"/> is the clock to use if it takes one.</summary>
    protected abstract Task<IRateLimiter> CreateLimiterAsync(TimeProvider time);

    /// <summary>Lets <paramref name="duration"/> pass for the limiter: advances <see cref="Time"/> by default.</summary>
    protected virtual Task AdvanceAsync(TimeSpan duration)
    {
        Time.Advance(duration);
        return Task.CompletedTask;
    }

    /// <summary>Creates the limiter; override to add per-test set-up (call the base).</summary>
    public virtual async Task InitializeAsync() => _limiter = await CreateLimiterAsync(Time);

    /// <summary>Disposes the limiter when it is disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        await Subjects.DisposeAsync(_limiter);
    }

    /// <summary>A full bucket allows exactly its capacity, then refuses with a positive retry-after.</summary>
    [Fact]
    public async Task CapacityIsRespected()
    {
        var key = NewKey();
        var rule = new TokenBucketRule(5, 2);

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await Limiter.TryAcquireAsync(key, rule)).Allowed, $"Token {i + 1} of 5 must be allowed.");
        }

        var refused = await Limiter.TryAcquireAsync(key, rule);
        Assert.False(refused.Allowed);
        Assert.True(refused.RetryAfter > TimeSpan.Zero, "A refusal says when to retry.");
        Assert.True(refused.RetryAfter <= TimeSpan.FromSeconds(1), $"One token refills in 0.5 s; retry-after was {refused.RetryAfter}.");
    }

    /// <summary>Tokens come back over time, never beyond the capacity.</summary>
    [Fact]
    public async Task BucketsRefillUpToTheirCapacity()
    {
        var key = NewKey();
        // One token a second: the three calls below must not take a whole second even on a loaded machine
        // against a real server (at two a second, half a second of delay refilled one and the test failed).
        var rule = new TokenBucketRule(2, 1);
        Assert.True((await Limiter.TryAcquireAsync(key, rule)).Allowed);
        Assert.True((await Limiter.TryAcquireAsync(key, rule)).Allowed);
        Assert.False((await Limiter.TryAcquireAsync(key, rule)).Allowed);

        await AdvanceAsync(TimeSpan.FromSeconds(3)); // 3 tokens' worth, capped at 2

        Assert.True((await Limiter.TryAcquireAsync(key, rule)).Allowed);
        Assert.True((await Limiter.TryAcquireAsync(key, rule)).Allowed);
        Assert.False((await Limiter.TryAcquireAsync(key, rule)).Allowed);
    }

    /// <summary>Each key has its own bucket.</summary>
    [Fact]
    public async Task KeysAreIndependent()
    {
        var rule = new TokenBucketRule(1, 0.5);
        var first = NewKey();
        var second = NewKey();

        Assert.True((await Limiter.TryAcquireAsync(first, rule)).Allowed);
        Assert.False((await Limiter.TryAcquireAsync(first, rule)).Allowed);
        Assert.True((await Limiter.TryAcquireAsync(second, rule)).Allowed);
    }

    /// <summary>100 concurrent acquires on a bucket of 10 allow exactly 10.</summary>
    [Fact]
    public async Task ExactUnderConcurrency()
    {
        var key = NewKey();
        var rule = new TokenBucketRule(10, 0.01);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Limiter.TryAcquireAsync(key, rule);
        })).ToList();
        start.SetResult();

        var decisions = await Task.WhenAll(attempts);

        Assert.Equal(10, decisions.Count(d => d.Allowed));
    }

    private static string NewKey() => "compliance:" + Guid.NewGuid().ToString("N");
}

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RemateLive.Ports;
using RemateLive.Redis.Internal;

namespace RemateLive.Redis.Tests;

public sealed class RateLimiterTests : IAsyncLifetime
{
    private readonly RedisConnections _redis = new("limiter");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task OneBucketIsExactAcrossTwoNodes()
    {
        var nodeA = await LimiterAsync();
        var nodeB = await LimiterAsync();
        var rule = new TokenBucketRule(50, 0.001);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? nodeA : nodeB).TryAcquireAsync("user:ana", rule);
        })).ToList();
        start.SetResult();

        var decisions = await Task.WhenAll(attempts);

        Assert.Equal(50, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.True(d.RetryAfter > TimeSpan.FromSeconds(100)));
    }

    [Fact]
    public async Task BucketKeysExpireWhenTheyWouldBeFull()
    {
        var limiter = await LimiterAsync();
        await limiter.TryAcquireAsync("ip:10.0.0.1", new TokenBucketRule(10, 5)); // 1 token short: full again in 0.2 s

        var ttl = await (await TestRedis.DatabaseAsync(_redis.First)).KeyTimeToLiveAsync($"{_redis.Prefix}:ratelimit:ip:10.0.0.1");

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task UnreachableRedisFallsBackToThisNodesBuckets()
    {
        var connection = await _redis.ConnectAsync(TestRedis.Unreachable);
        var limiter = new RedisRateLimiter(connection, new FakeTimeProvider(), NullLogger<RedisRateLimiter>.Instance);
        var rule = new TokenBucketRule(2, 1);

        Assert.True((await limiter.TryAcquireAsync("user:ben", rule)).Allowed);
        Assert.True((await limiter.TryAcquireAsync("user:ben", rule)).Allowed);
        var refused = await limiter.TryAcquireAsync("user:ben", rule);

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
    }

    private async Task<RedisRateLimiter> LimiterAsync()
    {
        var connection = await _redis.ConnectAsync();
        return new RedisRateLimiter(connection, TimeProvider.System, NullLogger<RedisRateLimiter>.Instance);
    }
}

using System.Collections.Concurrent;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>
/// Token buckets in process memory on the injected clock (so tests need no sleeping). Same arithmetic as
/// the Redis Lua bucket: tokens = min(capacity, tokens + elapsed × rate), take one if ≥ 1.
/// </summary>
public sealed class InMemoryRateLimiter(TimeProvider time) : IRateLimiter
{
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    /// <inheritdoc/>
    public ValueTask<RateLimitDecision> TryAcquireAsync(string key, TokenBucketRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetTimestamp();
        if (_buckets.Count > PruneAbove)
        {
            Prune(now, rule);
        }

        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(rule.Capacity, now));
        lock (bucket)
        {
            bucket.Refill(now, rule, time);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return ValueTask.FromResult(RateLimitDecision.Allow);
            }

            var wait = rule.TokensPerSecond > 0 ? TimeSpan.FromSeconds((1 - bucket.Tokens) / rule.TokensPerSecond) : TimeSpan.MaxValue;
            return ValueTask.FromResult(new RateLimitDecision(false, wait));
        }
    }

    // Full buckets carry no information: dropping them bounds memory.
    private void Prune(long now, TokenBucketRule rule)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                bucket.Refill(now, rule, time);
                if (bucket.Tokens >= rule.Capacity)
                {
                    _buckets.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        private long At { get; set; } = at;

        public void Refill(long now, TokenBucketRule rule, TimeProvider time)
        {
            var elapsed = time.GetElapsedTime(At, now).TotalSeconds;
            if (elapsed > 0)
            {
                Tokens = Math.Min(rule.Capacity, Tokens + (elapsed * rule.TokensPerSecond));
                At = now;
            }
        }
    }
}

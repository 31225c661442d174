using System.Globalization;
using Microsoft.Extensions.Logging;
using RemateLive.InMemory;
using RemateLive.Ports;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// Token buckets shared by every node: one atomic Lua script per check (StackExchange.Redis sends it as
/// <c>EVALSHA</c> once Redis knows it). The script reads Redis' own clock (<c>TIME</c>), so nodes' clocks
/// do not matter, and lets a bucket's key expire when it would be full again. When Redis is unreachable,
/// checks fall back to this node's in-memory buckets (limits then hold per node) instead of failing.
/// </summary>
internal sealed class RedisRateLimiter(RedisConnection connection, TimeProvider time, ILogger<RedisRateLimiter> logger) : IRateLimiter
{
    /// <summary>KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per second. Returns {allowed, retry-after seconds}.</summary>
    internal const string Script =
        """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
        local b = redis.call('HMGET', KEYS[1], 't', 'a')
        local tokens = tonumber(b[1])
        local at = tonumber(b[2])
        if tokens == nil or at == nil then
          tokens = capacity
          at = now
        end
        local elapsed = now - at
        if elapsed > 0 then
          tokens = math.min(capacity, tokens + elapsed * rate)
          at = now
        end
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        elseif rate > 0 then
          wait = (1 - tokens) / rate
        else
          wait = -1
        end
        redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
        if rate > 0 then
          redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
        end
        return {allowed, string.format('%.17g', wait)}
        """;

    private readonly InMemoryRateLimiter _fallback = new(time);
    private int _degraded;

    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, TokenBucketRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (connection.Connected is { } redis)
        {
            try
            {
                var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                    Script,
                    [connection.Keys.RateLimit(key)],
                    [rule.Capacity, rule.TokensPerSecond])
                    .WaitAsync(connection.Options.WriteTimeout, cancellationToken))!;
                Interlocked.Exchange(ref _degraded, 0);
                if ((int)result[0] == 1)
                {
                    return RateLimitDecision.Allow;
                }

                var wait = double.Parse((string)result[1]!, CultureInfo.InvariantCulture);
                return new RateLimitDecision(false, wait < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(wait));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Degrade(ex, key);
            }
        }
        else
        {
            Degrade(null, key);
        }

        return await _fallback.TryAcquireAsync(key, rule, cancellationToken);
    }

    private void Degrade(Exception? ex, string key)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            RedisLog.RateLimiterUnavailable(logger, ex, key);
        }
    }
}

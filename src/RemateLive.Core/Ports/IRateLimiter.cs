namespace RemateLive.Ports;

/// <summary>Token buckets by key (per user for bids, per IP for connections), exact across nodes when shared.</summary>
public interface IRateLimiter
{
    /// <summary>Takes one token from <paramref name="key"/>'s bucket if it has one.</summary>
    ValueTask<RateLimitDecision> TryAcquireAsync(string key, TokenBucketRule rule, CancellationToken cancellationToken = default);
}

/// <summary>A bucket of <see cref="Capacity"/> tokens refilled at <see cref="TokensPerSecond"/>.</summary>
public readonly record struct TokenBucketRule(int Capacity, double TokensPerSecond);

/// <summary>Whether a token was taken; when not, how long until one is available.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    /// <summary>A token was taken.</summary>
    public static RateLimitDecision Allow { get; } = new(true, TimeSpan.Zero);
}

using System.Net;
using Microsoft.Extensions.Options;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.RateLimiting;

/// <summary>
/// The two token buckets of the spec over the <see cref="IRateLimiter"/> port (in-memory by default,
/// shared across nodes with Redis): bids per user and connections/logins per IP address.
/// </summary>
internal sealed class RemateRateLimits(IRateLimiter limiter, IOptionsMonitor<RemateLiveOptions> options)
{
    /// <summary>Takes a token from <paramref name="user"/>'s bid bucket.</summary>
    public ValueTask<RateLimitDecision> ForBidAsync(UserId user, CancellationToken ct)
    {
        var o = options.CurrentValue.RateLimits;
        return limiter.TryAcquireAsync($"bid:{user}", new TokenBucketRule(o.BidBurst, o.BidsPerSecond), ct);
    }

    /// <summary>Takes a token from the connection bucket of <paramref name="ip"/> (see <see cref="ClientAddress"/>; unknown addresses share one bucket).</summary>
    public ValueTask<RateLimitDecision> ForConnectionAsync(IPAddress? ip, CancellationToken ct)
    {
        var o = options.CurrentValue.RateLimits;
        var key = $"conn:{ClientAddress.LimitKey(ip)}";
        return limiter.TryAcquireAsync(key, new TokenBucketRule(o.ConnectionBurst, o.ConnectionsPerSecond), ct);
    }
}

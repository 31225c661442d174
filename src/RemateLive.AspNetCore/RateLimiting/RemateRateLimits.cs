using System.Net;
using Microsoft.Extensions.Options;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.RateLimiting;

/// <summary>
/// The two token buckets of the spec over the <see cref="IRateLimiter"/> port (in-memory by default,
/// shared across nodes with Redis): bids per user, connections/logins per IP address, and password checks
/// per IP address and per username.
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
        return limiter.TryAcquireAsync($"conn:{AddressKey(ip)}", new TokenBucketRule(o.ConnectionBurst, o.ConnectionsPerSecond), ct);
    }

    /// <summary>
    /// Takes a token from the password-check buckets of <paramref name="ip"/> and of <paramref name="username"/>
    /// (every transport's sign-in with a password and password changes share them).
    /// </summary>
    public async ValueTask<RateLimitDecision> ForPasswordCheckAsync(IPAddress? ip, string username, CancellationToken ct)
    {
        var o = options.CurrentValue.RateLimits;
        var byAddress = await limiter.TryAcquireAsync($"pwd-ip:{AddressKey(ip)}", new TokenBucketRule(o.PasswordCheckBurst, o.PasswordChecksPerSecond), ct);
        return byAddress.Allowed
            ? await limiter.TryAcquireAsync($"pwd-user:{username}", new TokenBucketRule(o.UsernamePasswordCheckBurst, o.UsernamePasswordChecksPerSecond), ct)
            : byAddress;
    }

    /// <summary>The bucket key of a client address (IPv6 per /64; unknown addresses share one).</summary>
    internal static string AddressKey(IPAddress? ip) => ClientAddress.LimitKey(ip);
}

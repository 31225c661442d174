using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>Pings Redis over the shared multiplexer; registered as degraded-on-failure (the system works without Redis).</summary>
internal sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connection.Connected is not { } redis)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable: bids go through the store, nodes catch up from it.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0.0} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer a ping.", ex);
        }
    }
}

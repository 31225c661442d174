namespace RemateLive;

/// <summary>Adds the Redis adapters to Remate Live.</summary>
public static class RedisRemateLiveBuilderExtensions
{
    /// <summary>Uses Redis for the cache, bus, rate limiter and presence. (Placeholder: implemented by the Redis issue.)</summary>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        throw new NotSupportedException("RemateLive.Redis is not implemented yet.");
    }
}

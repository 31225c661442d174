using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.Redis;
using RemateLive.Redis.Internal;
using StackExchange.Redis;

namespace RemateLive;

/// <summary>Adds the Redis adapters to Remate Live.</summary>
public static class RedisRemateLiveBuilderExtensions
{
    /// <summary>The name of the Redis entry in the health report.</summary>
    public const string HealthCheckName = "redis";

    /// <summary>
    /// Uses Redis (one shared multiplexer, connected from <paramref name="configuration"/>) for the snapshot
    /// cache, the event bus between nodes, the rate limiter and presence. PostgreSQL (or the configured
    /// store) stays the bid of record.
    /// </summary>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, string configuration) =>
        builder.UseRedis(configuration, _ => { });

    /// <summary>As <see cref="UseRedis(RemateLiveBuilder, string)"/>, with further settings.</summary>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, string configuration, Action<RemateRedisOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseRedis(o =>
        {
            o.Configuration = configuration;
            configure(o);
        });
    }

    /// <summary>Uses Redis with settings given entirely by <paramref name="configure"/> (its <see cref="RemateRedisOptions.Configuration"/> is required).</summary>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, Action<RemateRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder, configure).Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), "RemateLive:Redis:Configuration is required.");
        builder.Services.TryAddSingleton(sp => new RedisConnection(
            sp.GetRequiredService<IOptions<RemateRedisOptions>>().Value,
            sp.GetRequiredService<ILogger<RedisConnection>>(),
            null));
        return AddAdapters(builder);
    }

    /// <summary>
    /// Uses Redis through the application's own <paramref name="multiplexer"/> (not disposed by Remate Live;
    /// create it with <c>abortConnect=false</c> so the node starts while Redis is down).
    /// </summary>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, IConnectionMultiplexer multiplexer) =>
        builder.UseRedis(multiplexer, _ => { });

    /// <summary>As <see cref="UseRedis(RemateLiveBuilder, IConnectionMultiplexer)"/>, with further settings.</summary>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, IConnectionMultiplexer multiplexer, Action<RemateRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder, configure);
        builder.Services.TryAddSingleton(sp => new RedisConnection(
            sp.GetRequiredService<IOptions<RemateRedisOptions>>().Value,
            sp.GetRequiredService<ILogger<RedisConnection>>(),
            multiplexer));
        return AddAdapters(builder);
    }

    /// <summary>
    /// Uses Redis through an <see cref="IConnectionMultiplexer"/> the application registered itself: unkeyed,
    /// or the keyed service <paramref name="serviceKey"/> (not disposed by Remate Live).
    /// </summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="serviceKey">The multiplexer's service key, or null for the unkeyed one.</param>
    /// <param name="configure">Further settings (key prefix…).</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder UseRedisConnectionFromServices(this RemateLiveBuilder builder, object? serviceKey = null, Action<RemateRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions(builder, configure ?? (_ => { }));
        builder.Services.TryAddSingleton(sp => new RedisConnection(
            sp.GetRequiredService<IOptions<RemateRedisOptions>>().Value,
            sp.GetRequiredService<ILogger<RedisConnection>>(),
            serviceKey is null ? sp.GetRequiredService<IConnectionMultiplexer>() : sp.GetRequiredKeyedService<IConnectionMultiplexer>(serviceKey)));
        return AddAdapters(builder);
    }

    /// <summary>
    /// Uses Redis with settings bound from a configuration section (e.g. <c>RemateLive:Redis</c>):
    /// <c>Configuration</c> (required), <c>KeyPrefix</c>, <c>WriteTimeout</c>, <c>ShareDataProtectionKeys</c>…
    /// </summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="section">The section to bind.</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder UseRedis(this RemateLiveBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<RemateRedisOptions>().Bind(section);
        return builder.UseRedis(_ => { });
    }

    /// <summary>The configuration key read for <see cref="RemateRedisOptions.KeyPrefix"/> when the host has an <see cref="IConfiguration"/> (code settings win).</summary>
    public const string KeyPrefixConfigurationKey = "RemateLive:Redis:KeyPrefix";

    /// <summary>The configuration key read for <see cref="RemateRedisOptions.ShareDataProtectionKeys"/> (code settings win).</summary>
    public const string ShareDataProtectionKeysConfigurationKey = "RemateLive:Redis:ShareDataProtectionKeys";

    private static OptionsBuilder<RemateRedisOptions> AddOptions(RemateLiveBuilder builder, Action<RemateRedisOptions> configure) =>
        builder.Services.AddOptions<RemateRedisOptions>()
            .Configure<IServiceProvider>((o, sp) =>
            {
                var configuration = sp.GetService<IConfiguration>();
                if (configuration?[KeyPrefixConfigurationKey] is { Length: > 0 } prefix)
                {
                    o.KeyPrefix = prefix;
                }

                if (configuration?[ShareDataProtectionKeysConfigurationKey] is { Length: > 0 } share)
                {
                    o.ShareDataProtectionKeys = bool.TryParse(share, out var on)
                        ? on
                        : throw new OptionsValidationException(nameof(RemateRedisOptions), typeof(RemateRedisOptions), [$"{ShareDataProtectionKeysConfigurationKey} must be true or false, not '{share}'."]);
                }
            })
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeyPrefix), "The Redis key prefix must not be empty.")
            .Validate(o => o.WriteTimeout > TimeSpan.Zero, "The Redis write timeout must be positive.")
            .Validate(
                o => o.PresenceHeartbeatInterval > TimeSpan.Zero && o.PresenceHeartbeatInterval < o.PresenceEntryTimeToLive,
                "The presence heartbeat interval must be positive and shorter than the entry time to live.")
            .ValidateOnStart();

    private static RemateLiveBuilder AddAdapters(RemateLiveBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(RedisHealthCheck)))
        {
            return builder; // UseRedis twice: the first multiplexer and registrations stand
        }

        builder.Services.TryAddSingleton<RedisHealthCheck>();
        builder.UseEventBus<RedisEventBus>()
            .UseRateLimiter<RedisRateLimiter>()
            .UsePresence<RedisPresenceTracker>();
        builder.UseSaleEventBus<RedisSaleEventBus>();
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RedisPresenceTracker>());
        RedisDataProtection.Add(builder.Services);
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(HealthCheckName, HealthStatus.Degraded, ["remate-live", "redis"]);
        return builder;
    }
}

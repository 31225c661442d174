using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemateLive.Ports;
using RemateLive.Redis.Internal;
using StackExchange.Redis;

namespace RemateLive.Redis.Tests;

/// <summary>Issue #13 item 3 on a real Redis: the host's own (keyed) multiplexer, and a configuration section.</summary>
public sealed class AdapterRegistrationTests
{
    [Fact]
    public async Task The_hosts_keyed_multiplexer_is_used_and_not_disposed()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(TestRedis.Configuration);
        var prefix = TestRedis.NewPrefix("di");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKeyedSingleton<IConnectionMultiplexer>("cache", multiplexer);
        services.AddRemateLiveCore().UseRedisConnectionFromServices("cache", o => o.KeyPrefix = prefix);

        await using (var provider = services.BuildServiceProvider())
        {
            Assert.Same(multiplexer, await provider.GetRequiredService<RedisConnection>().GetAsync());
            Assert.IsType<RedisRateLimiter>(provider.GetRequiredService<IRateLimiter>());
            var limiter = provider.GetRequiredService<IRateLimiter>();
            Assert.True((await limiter.TryAcquireAsync("k", new TokenBucketRule(1, 0.001))).Allowed);
            Assert.False((await limiter.TryAcquireAsync("k", new TokenBucketRule(1, 0.001))).Allowed); // the bucket lives in that Redis
        }

        Assert.True(multiplexer.IsConnected); // the host's, so the host disposes it
    }

    [Fact]
    public void A_configuration_section_gives_the_settings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // A section of the host's own naming: the values can only come from binding the section given.
            ["Cache:Redis:Configuration"] = TestRedis.Configuration,
            ["Cache:Redis:KeyPrefix"] = "from-config",
            ["Cache:Redis:WriteTimeout"] = "00:00:03",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRemateLiveCore().UseRedis(configuration.GetSection("Cache:Redis"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RemateRedisOptions>>().Value;
        Assert.Equal(TestRedis.Configuration, options.Configuration);
        Assert.Equal("from-config", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(3), options.WriteTimeout);
    }
}

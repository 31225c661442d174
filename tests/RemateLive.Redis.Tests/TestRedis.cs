using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Redis;
using RemateLive.Redis.Internal;
using StackExchange.Redis;

namespace RemateLive.Redis.Tests;

/// <summary>The Redis started by scripts/test-env.sh (REMATE_TEST_REDIS); missing or unreachable fails the test.</summary>
internal static class TestRedis
{
    /// <summary>A port nothing listens on: what "Redis is down" looks like.</summary>
    public const string Unreachable = "127.0.0.1:1,connectTimeout=200";

    public static string Configuration =>
        Environment.GetEnvironmentVariable("REMATE_TEST_REDIS") is { Length: > 0 } c
            ? c
            : throw new InvalidOperationException("REMATE_TEST_REDIS is not set: run the tests through scripts/test-env.sh (it starts a throwaway Redis).");

    public static string NewPrefix(string what) => $"test:{what}:{Guid.NewGuid():N}";

    /// <summary>A node's connection (its own multiplexer), connected or failing clearly.</summary>
    public static async Task<RedisConnection> ConnectAsync(string prefix, Action<RemateRedisOptions>? configure = null, string? configuration = null)
    {
        var options = new RemateRedisOptions { Configuration = configuration ?? Configuration, KeyPrefix = prefix };
        configure?.Invoke(options);
        var connection = new RedisConnection(options, NullLogger<RedisConnection>.Instance, null);
        var multiplexer = await connection.GetAsync();
        if (configuration is null && !multiplexer.IsConnected)
        {
            throw new InvalidOperationException($"Redis at '{options.Configuration}' (REMATE_TEST_REDIS) is unreachable.");
        }

        return connection;
    }

    public static async Task<IDatabase> DatabaseAsync(RedisConnection connection) => (await connection.GetAsync()).GetDatabase();
}

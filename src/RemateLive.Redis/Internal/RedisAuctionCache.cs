using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.Serialization;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// Snapshots in Redis hashes (<c>v</c> = version, <c>s</c> = JSON), written by a compare-and-set script
/// so an older snapshot never replaces a newer one, whichever node writes last. Reads degrade to "no
/// snapshot" (a store round trip) when Redis is slow or down.
/// </summary>
internal sealed class RedisAuctionCache(RedisConnection connection, ILogger<RedisAuctionCache> logger) : IAuctionCache
{
    /// <summary>KEYS[1] snapshot; ARGV[1] version, ARGV[2] JSON, ARGV[3] TTL (ms). Returns 1 if stored.</summary>
    private const string SetIfNewer =
        """
        local current = tonumber(redis.call('HGET', KEYS[1], 'v'))
        if current and current >= tonumber(ARGV[1]) then
          return 0
        end
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    public async ValueTask<AuctionSnapshot?> GetAsync(AuctionId id, CancellationToken cancellationToken = default)
    {
        if (connection.Connected is not { } redis)
        {
            return null;
        }

        try
        {
            var json = await redis.GetDatabase().HashGetAsync(connection.Keys.Snapshot(id), "s")
                .WaitAsync(connection.Options.OperationTimeout, cancellationToken);
            return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<AuctionSnapshot>(json.ToString(), RemateJson.Options);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            RedisLog.CacheReadFailed(logger, ex, id);
            return null;
        }
    }

    public async ValueTask SetAsync(AuctionSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (connection.Connected is not { } redis)
        {
            // Skipping is safe: a missing or older snapshot only costs a store round trip.
            return;
        }

        await redis.GetDatabase().ScriptEvaluateAsync(
            SetIfNewer,
            [connection.Keys.Snapshot(snapshot.Id)],
            [snapshot.Version, JsonSerializer.Serialize(snapshot, RemateJson.Options), (long)connection.Options.SnapshotTimeToLive.TotalMilliseconds])
            .WaitAsync(connection.Options.WriteTimeout, cancellationToken);
    }
}

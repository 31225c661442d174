using RemateLive.Domain;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>Names of every key and channel, all under the configured prefix.</summary>
internal sealed class RedisKeys(string prefix)
{
    public RedisChannel Events { get; } = RedisChannel.Literal(prefix + ":events");

    public RedisChannel Presence { get; } = RedisChannel.Literal(prefix + ":presence");

    public RedisChannel SaleEvents { get; } = RedisChannel.Literal(prefix + ":sale-events");


    /// <summary>The Data Protection key ring (a list of XML keys, kept by Microsoft's RedisXmlRepository).</summary>
    public RedisKey DataProtectionKeys { get; } = prefix + ":data-protection:keys";

    public RedisKey RateLimit(string key) => $"{prefix}:ratelimit:{key}";

    // Both presence keys of an auction share a hash tag so the presence scripts also run on a cluster.
    public RedisKey PresenceConnections(AuctionId id) => $"{prefix}:presence:{{{id.Value:N}}}:connections";

    public RedisKey PresenceUsers(AuctionId id) => $"{prefix}:presence:{{{id.Value:N}}}:users";
}

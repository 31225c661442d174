using Microsoft.Extensions.Logging;
using RemateLive.Domain;

namespace RemateLive.Redis.Internal;

/// <summary>Every log message of the Redis adapters.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(1, LogLevel.Warning, "Redis is unreachable at start-up ({Configuration}); the node runs without it (PostgreSQL decides, peers catch up from the store) and keeps reconnecting.")]
    public static partial void StartedDisconnected(ILogger logger, string configuration);

    [LoggerMessage(2, LogLevel.Warning, "Redis connection to {EndPoint} failed ({FailureType}); cache, cross-node bus and shared presence are degraded until it returns.")]
    public static partial void ConnectionFailed(ILogger logger, Exception? exception, string? endPoint, string failureType);

    [LoggerMessage(3, LogLevel.Information, "Redis connection to {EndPoint} restored.")]
    public static partial void ConnectionRestored(ILogger logger, string? endPoint);

    [LoggerMessage(4, LogLevel.Debug, "Redis cache read for auction {AuctionId} failed; going to the store.")]
    public static partial void CacheReadFailed(ILogger logger, Exception exception, AuctionId auctionId);

    [LoggerMessage(5, LogLevel.Warning, "Dropped a malformed message on Redis channel {Channel}.")]
    public static partial void MalformedMessage(ILogger logger, Exception exception, string channel);

    [LoggerMessage(6, LogLevel.Warning, "A bus handler failed on a message from Redis channel {Channel}.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(7, LogLevel.Warning, "Rate-limit check for {Key} could not reach Redis; limits hold per node (in-memory buckets) until it returns.")]
    public static partial void RateLimiterUnavailable(ILogger logger, Exception? exception, string key);

    [LoggerMessage(8, LogLevel.Warning, "Presence heartbeat failed; entries of this node are refreshed on the next tick.")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Presence update for auction {AuctionId} could not reach Redis; counting this node only until it returns.")]
    public static partial void PresenceUnavailable(ILogger logger, Exception? exception, AuctionId auctionId);

    [LoggerMessage(10, LogLevel.Warning, "Could not subscribe to the Redis bus (Redis is down); retrying every second. Until then this node catches up from the store.")]
    public static partial void SubscribeDeferred(ILogger logger);

    [LoggerMessage(11, LogLevel.Information, "Subscribed to the Redis bus.")]
    public static partial void Subscribed(ILogger logger);

    [LoggerMessage(30, LogLevel.Information, "Data Protection keys (sign-in tokens) are shared through Redis under application name {ApplicationName}: every node accepts every node's tokens.")]
    public static partial void DataProtectionKeysInRedis(ILogger logger, string? applicationName);

    [LoggerMessage(31, LogLevel.Warning, "Data Protection keys (sign-in tokens) are local to this node ({Location}) while Redis connects several nodes: a token issued here is rejected by the other nodes (401, and USERNAME_TAKEN on sockets) unless they share this directory. Keep RemateLive:Redis:ShareDataProtectionKeys on, or persist the key ring somewhere shared and set one application name (see docs/scaling.md).")]
    public static partial void DataProtectionKeysLocal(ILogger logger, string location);

    [LoggerMessage(32, LogLevel.Information, "Data Protection keys are kept by the application's own repository ({Repository}); every node must use the same repository and application name.")]
    public static partial void DataProtectionKeysHosts(ILogger logger, string repository);

    [LoggerMessage(33, LogLevel.Information, "Presence of {Username} in auction {AuctionId} expired (their node stopped refreshing it); {Online} online.")]
    public static partial void PresenceExpired(ILogger logger, string username, AuctionId auctionId, long online);

    [LoggerMessage(34, LogLevel.Warning, "Announcing an expired presence in auction {AuctionId} failed.")]
    public static partial void PresenceExpiryHandlerFailed(ILogger logger, Exception exception, AuctionId auctionId);
}

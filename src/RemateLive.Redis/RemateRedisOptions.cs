using StackExchange.Redis;

namespace RemateLive.Redis;

/// <summary>Settings of the Redis adapters (cache, bus, rate limiter, presence).</summary>
public sealed class RemateRedisOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=…</c>). Ignored when the multiplexer
    /// is supplied by the application. <c>abortConnect</c> is always forced off so a node starts and serves
    /// bids while Redis is down.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so several applications can share one Redis (default <c>remate</c>).</summary>
    public string KeyPrefix { get; set; } = "remate";

    /// <summary>
    /// How long a write may wait for a slow (but connected) Redis: publish after a commit
    /// (then logged; other nodes catch up from the store), rate-limit checks and presence updates (then this
    /// node's own buckets/counts answer). Default 1 s; while Redis is down they do not wait at all.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a connection's presence entry lives without a heartbeat: after a node dies, its users stop
    /// counting within this bound (default 30 s).
    /// </summary>
    public TimeSpan PresenceEntryTimeToLive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each node refreshes its connections' presence entries (default 10 s; must be below the time to live).</summary>
    public TimeSpan PresenceHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Shares the application's ASP.NET Core Data Protection key ring through this Redis (key
    /// <c>{KeyPrefix}:data-protection:keys</c>) and sets the Data Protection application name to
    /// <c>RemateLive</c>, so a sign-in token issued by one node is accepted by every other (default true, or
    /// the configuration key <c>RemateLive:Redis:ShareDataProtectionKeys</c>). Only what the host left at the
    /// framework's defaults is filled in: a key repository or application name the host configured is kept.
    /// Turn it off to leave the host's key ring alone; then share it yourself (a start-up warning says when
    /// this node's keys are local). The keys are stored as Data Protection writes them (unencrypted unless
    /// the host adds a key encryptor, e.g. <c>ProtectKeysWithCertificate</c>): protect Redis accordingly.
    /// </summary>
    public bool ShareDataProtectionKeys { get; set; } = true;

    /// <summary>Adjusts the parsed configuration (e.g. TLS, credentials) before the shared multiplexer connects.</summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }
}

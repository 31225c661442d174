using System.ComponentModel.DataAnnotations;

namespace RemateLive;

/// <summary>
/// Remate Live's settings, bound from the configuration section <c>RemateLive</c> and validated at
/// start-up (a bad value stops the host with a clear message).
/// </summary>
public sealed class RemateLiveOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "RemateLive";

    /// <summary>Bidding rules and limits.</summary>
    public BiddingOptions Bidding { get; set; } = new();

    /// <summary>Routes (all relative to where <c>MapRemateLive()</c> is called).</summary>
    public RouteOptions Routes { get; set; } = new();

    /// <summary>Native WebSocket and SignalR connection settings.</summary>
    public RealtimeOptions Realtime { get; set; } = new();

    /// <summary>Token buckets for bids and connections.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Sign-in and authorization.</summary>
    public IdentityOptions Identity { get; set; } = new();

    /// <summary>
    /// Kestrel connection limits, applied only when the host opts in with <c>AddRemateLive().ConfigureKestrelLimits()</c>
    /// (keep them below the process's file-descriptor limit).
    /// </summary>
    public KestrelLimitOptions Kestrel { get; set; } = new();

    /// <summary>The admin account created at start-up when <see cref="AdminOptions.Password"/> is set.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary>Trusted reverse proxies (<c>X-Forwarded-*</c>); empty by default, then the host's pipeline is left alone.</summary>
    public TrustedProxyOptions ForwardedHeaders { get; set; } = new();

    /// <summary>Route prefixes.</summary>
    public sealed class RouteOptions
    {
        /// <summary>REST API prefix.</summary>
        public string Api { get; set; } = "/api";

        /// <summary>Native WebSocket route; must contain <c>{auction_id}</c>.</summary>
        public string WebSocket { get; set; } = "/ws/auctions/{auction_id}";

        /// <summary>SignalR hub route.</summary>
        public string Hub { get; set; } = "/hubs/auctions";

        /// <summary>Health endpoint.</summary>
        public string Health { get; set; } = "/health";

        /// <summary>OpenAPI document route.</summary>
        public string OpenApi { get; set; } = RemateLiveOpenApi.DefaultRoute;

        /// <summary>API reference UI route (Scalar).</summary>
        public string Docs { get; set; } = "/docs";
    }

    /// <summary>Connection settings shared by both transports.</summary>
    public sealed class RealtimeOptions
    {
        /// <summary>How often the server sends <c>ping</c>; a connection silent for two intervals is closed.</summary>
        public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The first message must be <c>auth</c> within this time, else close 1008.</summary>
        public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Largest accepted client frame/message in bytes; larger closes with 1009.</summary>
        [Range(256, 1_048_576)]
        public int MaxMessageBytes { get; set; } = 4096;

        /// <summary>Messages queued for one connection before it is considered a slow reader and dropped.</summary>
        [Range(8, 100_000)]
        public int SendQueueCapacity { get; set; } = 256;

        /// <summary>How many recent bids <c>auth_ok</c> carries.</summary>
        [Range(0, 500)]
        public int RecentBids { get; set; } = 20;

        /// <summary>
        /// Rooms with at least this many connections on a node get at most one presence message
        /// (<c>user_joined</c>/<c>user_left</c>, the latest) per <see cref="PresenceCoalesceInterval"/>.
        /// </summary>
        [Range(0, int.MaxValue)]
        public int PresenceCoalesceThreshold { get; set; } = 100;

        /// <summary>The least time between two presence messages in a coalesced room.</summary>
        public TimeSpan PresenceCoalesceInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Failed <c>auth</c> messages one socket may send before it is closed (1008).</summary>
        [Range(1, 100)]
        public int MaxFailedAuthAttempts { get; set; } = 3;

        /// <summary>Concurrent connections (WebSocket + SignalR, on this node) one user may hold.</summary>
        [Range(1, 1_000_000)]
        public int MaxConnectionsPerUser { get; set; } = 16;

        /// <summary>Concurrent connections (WebSocket + SignalR, on this node) one IP address may hold.</summary>
        [Range(1, 10_000_000)]
        public int MaxConnectionsPerIp { get; set; } = 1_000;

        /// <summary>Catch-ups (join with <c>last_seq</c> behind, <c>resume</c>) one connection may start: bucket size.</summary>
        [Range(1, 1_000_000)]
        public int ReplayBurst { get; set; } = 5;

        /// <summary>Catch-ups one connection may start: tokens per second.</summary>
        [Range(0.001, 1_000_000)]
        public double ReplaysPerSecond { get; set; } = 0.5;

        /// <summary>
        /// Origins (<c>scheme://host[:port]</c>) allowed to open WebSocket/SignalR connections. Empty: any
        /// origin when the upgrade carries no cookie, same origin only when it does (so a cookie-authenticated
        /// socket cannot be hijacked cross-site). <c>*</c> allows every origin.
        /// </summary>
        public IList<string> AllowedOrigins { get; } = [];
    }

    /// <summary>Token-bucket limits.</summary>
    public sealed class RateLimitOptions
    {
        /// <summary>Bids per user: bucket size.</summary>
        [Range(1, 1_000_000)]
        public int BidBurst { get; set; } = 10;

        /// <summary>Bids per user: tokens per second.</summary>
        [Range(0.001, 1_000_000)]
        public double BidsPerSecond { get; set; } = 5;

        /// <summary>Connections (and logins) per IP address: bucket size.</summary>
        [Range(1, 1_000_000)]
        public int ConnectionBurst { get; set; } = 50;

        /// <summary>Connections (and logins) per IP address: tokens per second.</summary>
        [Range(0.001, 1_000_000)]
        public double ConnectionsPerSecond { get; set; } = 10;

        /// <summary>Password checks (sign-in with a password on any transport, password change) per IP address: bucket size.</summary>
        [Range(1, 1_000_000)]
        public int PasswordCheckBurst { get; set; } = 20;

        /// <summary>Password checks per IP address: tokens per second.</summary>
        [Range(0.001, 1_000_000)]
        public double PasswordChecksPerSecond { get; set; } = 1;

        /// <summary>Password checks per username: bucket size.</summary>
        [Range(1, 1_000_000)]
        public int UsernamePasswordCheckBurst { get; set; } = 10;

        /// <summary>Password checks per username: tokens per second.</summary>
        [Range(0.001, 1_000_000)]
        public double UsernamePasswordChecksPerSecond { get; set; } = 0.2;

        /// <summary>Consecutive failed password checks of a username before each further one doubles its wait (1 s, 2 s, 4 s…).</summary>
        [Range(1, 1000)]
        public int FailuresBeforeBackoff { get; set; } = 3;

        /// <summary>The longest wait the per-username back-off imposes.</summary>
        public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);
    }

    /// <summary>Sign-in and authorization.</summary>
    public sealed class IdentityOptions
    {
        /// <summary>How long an issued token is valid (never past the session's <see cref="SessionLifetime"/>).</summary>
        public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);

        /// <summary>
        /// The absolute lifetime of a session, from the sign-in with a password (or the claim of a name):
        /// signing in again with a token renews the token but not the session. A passwordless account whose
        /// session has expired can never be signed in again, so its name is freed (reclaimed).
        /// </summary>
        public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

        /// <summary>How long a node trusts an account's security stamp (and role) before reading the store again.</summary>
        public TimeSpan SecurityStampCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>How often unclaimed (passwordless, expired) accounts are deleted.</summary>
        public TimeSpan UnclaimedAccountSweepInterval { get; set; } = TimeSpan.FromHours(1);

        /// <summary>
        /// The authorization policy for admin operations (create, close, cancel). The default policy
        /// <c>remate-admin</c> requires the <c>admin</c> role; hosts may register their own policy and name it here.
        /// </summary>
        public string AdminPolicy { get; set; } = "remate-admin";

        /// <summary>The name of Remate Live's own bearer-token scheme (tokens from <c>POST /api/auth/login</c>).</summary>
        public const string RemateLiveScheme = "RemateLive";

        /// <summary>
        /// The authentication schemes whose users Remate Live accepts (REST, hub, admin policy). Empty (the
        /// default): our bearer tokens (<see cref="RemateLiveScheme"/>) and the host's default scheme. Set it to
        /// name them exactly, e.g. <c>["RemateLive", "Cookies"]</c>, or only the host's scheme when the host
        /// has its own identity (then map without our login, <c>MapRemateLive(o =&gt; o.MapAuthEndpoints = false)</c>).
        /// </summary>
        public IList<string> AuthenticationSchemes { get; set; } = [];
    }

    /// <summary>Kestrel limits.</summary>
    public sealed class KestrelLimitOptions
    {
        /// <summary>Maximum open connections (HTTP and upgraded).</summary>
        [Range(1, 1_000_000)]
        public long MaxConcurrentConnections { get; set; } = 18_000;

        /// <summary>Maximum upgraded (WebSocket) connections.</summary>
        [Range(1, 1_000_000)]
        public long MaxConcurrentUpgradedConnections { get; set; } = 17_000;
    }

    /// <summary>The admin account (role <c>admin</c>) created at start-up if it does not exist.</summary>
    public sealed class AdminOptions
    {
        /// <summary>The admin's username (3–32 of <c>[a-z0-9_.-]</c>).</summary>
        [RegularExpression("^[A-Za-z0-9_.-]{3,32}$")]
        public string Username { get; set; } = "admin";

        /// <summary>
        /// The admin's password; when null or empty no admin account is created. When it changes, the stored
        /// hash is updated at start-up (and the admin's old tokens revoked). Outside Development the sample's
        /// development password is refused.
        /// </summary>
        public string? Password { get; set; }

        /// <summary>The reference host's development-only admin password (refused outside Development).</summary>
        public const string DevelopmentPassword = "remate-admin-dev";
    }
}

namespace RemateLive;

/// <summary>
/// <c>RemateLive:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> /
/// <c>X-Forwarded-Proto</c> are believed. Empty (the default) changes nothing in the host's pipeline and
/// every client is seen by its TCP peer address; with at least one proxy or network, ASP.NET Core's
/// forwarded-headers middleware runs first in the pipeline (before our rate limits) trusting exactly these.
/// </summary>
public sealed class TrustedProxyOptions
{
    /// <summary>Addresses of trusted proxies (e.g. <c>127.0.0.1</c>, <c>10.0.0.5</c>, <c>::1</c>).</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (e.g. <c>172.16.0.0/12</c> for a Docker network).</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>How many proxy hops to unwrap from <c>X-Forwarded-For</c> (default 1: one proxy in front).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is configured (only then is the middleware added).</summary>
    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

namespace RemateLive;

/// <summary>
/// What <c>MapRemateLive(o =&gt; …)</c> maps. Everything is mapped by default; a host with its own identity,
/// health or API reference turns ours off. The auction REST endpoints are always mapped.
/// </summary>
public sealed class RemateLiveMapOptions
{
    /// <summary>
    /// <c>POST {api}/auth/login</c>, <c>/auth/logout</c> and <c>/auth/password</c> (anonymous login by
    /// username). Off for hosts whose users sign in with the host's own scheme (see
    /// <c>RemateLive:Identity:AuthenticationSchemes</c>).
    /// </summary>
    public bool MapAuthEndpoints { get; set; } = true;

    /// <summary><c>{health}</c>, <c>{health}/ready</c> and <c>{health}/live</c> (anonymous).</summary>
    public bool MapHealth { get; set; } = true;

    /// <summary>Our OpenAPI document (<see cref="RemateLiveOpenApi.DefaultRoute"/>, anonymous).</summary>
    public bool MapOpenApi { get; set; } = true;

    /// <summary>The Scalar API reference UI at <c>{docs}</c> (anonymous); needs <see cref="MapOpenApi"/>.</summary>
    public bool MapDocs { get; set; } = true;

    /// <summary>The SignalR hub (signed-in users of the accepted schemes).</summary>
    public bool MapHub { get; set; } = true;

    /// <summary>The native WebSocket endpoint (anonymous upgrade: the socket authenticates in-band with <c>auth</c>).</summary>
    public bool MapWebSocket { get; set; } = true;
}

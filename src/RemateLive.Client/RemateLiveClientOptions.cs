namespace RemateLive.Client;

/// <summary>How a <see cref="RemateLiveClient"/> reaches the server and who it signs in as.</summary>
public sealed class RemateLiveClientOptions
{
    /// <summary>The server's base address, e.g. <c>https://auctions.example.com/</c> (http/https; the socket uses ws/wss).</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>A token from an earlier sign-in (<c>auth_ok.token</c> or <c>POST /api/auth/login</c>). Takes precedence over <see cref="Username"/>.</summary>
    public string? Token { get; init; }

    /// <summary>The username to sign in as (3–32 of <c>[a-z0-9_.-]</c>); a new one is claimed.</summary>
    public string? Username { get; init; }

    /// <summary>The display name sent with <see cref="Username"/> (defaults to the username).</summary>
    public string? DisplayName { get; init; }

    /// <summary>The password of a claimed username (optional).</summary>
    public string? Password { get; init; }

    /// <summary>The socket route (default <c>/ws/auctions/</c>, the server's <c>RemateLive:Routes</c>).</summary>
    public string SocketPath { get; init; } = "/ws/auctions/";

    /// <summary>The REST prefix used for gap fill (default <c>/api</c>).</summary>
    public string ApiPath { get; init; } = "/api";

    /// <summary>The first reconnect delay (default 250 ms); each failed attempt doubles it, with equal jitter (half fixed, half random).</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest reconnect delay (default 10 s).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one connect + <c>auth</c> may take before it counts as failed (default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection silent for this long (no message, not even <c>ping</c>) is dropped and reconnected (default 75 s: 2.5 server ping intervals).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>The HTTP client for gap fill; when null, the client creates and owns a default one.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The invoker for the WebSocket upgrade (e.g. a shared <see cref="SocketsHttpHandler"/>); null: the socket's own.</summary>
    public HttpMessageInvoker? WebSocketInvoker { get; init; }

    /// <summary>Extra socket settings (headers, sub-protocols, certificates), applied to every new socket.</summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions>? ConfigureWebSocket { get; init; }

    /// <summary>The clock (tests inject a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (!BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttp && BaseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("BaseAddress must be an absolute http or https URI.", nameof(BaseAddress));
        }

        if (string.IsNullOrEmpty(Token) && string.IsNullOrEmpty(Username))
        {
            throw new ArgumentException("Give a Token or a Username.", nameof(Username));
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            throw new ArgumentException("Need 0 < ReconnectMinDelay <= ReconnectMaxDelay.", nameof(ReconnectMinDelay));
        }

        if (ConnectTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ConnectTimeout and IdleTimeout must be positive.", nameof(ConnectTimeout));
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Identity;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>The real-time side of <c>AddRemateLive()</c>/<c>MapRemateLive()</c>: native WebSocket endpoint and SignalR hub.</summary>
internal static class RealtimeRegistration
{
    /// <summary>Registers the room registry, bid handling and the transports' services.</summary>
    public static void AddRealtime(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RoomRegistry>();
        services.TryAddSingleton<RealtimeBids>();
        services.TryAddSingleton<Rest.BidDecider>();
        services.TryAddSingleton<WebSocketEndpoint>();
        services.TryAddSingleton<WebSocketHeartbeat>();
        services.AddHostedService<ExpiredPresenceAnnouncer>();
        services.TryAddSingleton<ConnectionCaps>();
        services.AddOptions<HubOptions<AuctionHub>>()
            .PostConfigure<IOptions<RemateLiveOptions>>((hub, remate) =>
            {
                hub.MaximumReceiveMessageSize = remate.Value.Realtime.MaxMessageBytes;
                hub.KeepAliveInterval = remate.Value.Realtime.PingInterval;
                hub.ClientTimeoutInterval = 2 * remate.Value.Realtime.PingInterval;
                // JSON only, whatever protocols the host adds for its own hubs: our messages are pre-serialized JSON.
                hub.SupportedProtocols = ["json"];
            });
    }

    /// <summary>Maps the native WebSocket route and the SignalR hub.</summary>
    public static void MapRealtime(IEndpointRouteBuilder group, RemateLiveOptions options, bool mapWebSocket, bool mapHub)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(options);

        if (mapWebSocket)
        {
            MapWebSocket(group, options);
        }

        // The policy authenticates with the accepted schemes (RemateLive:Identity:AuthenticationSchemes).
        if (mapHub)
        {
            group.MapHub<AuctionHub>(options.Routes.Hub).RequireAuthorization(RemateAuthentication.UserPolicy);
        }
    }

    private static void MapWebSocket(IEndpointRouteBuilder group, RemateLiveOptions options)
    {
        // Like SignalR's own endpoints: a small pipeline with the WebSockets middleware, so hosts need no UseWebSockets().
        var socketApp = group.CreateApplicationBuilder();
        // No protocol-level keep-alive: our ping/pong already proves liveness, and its timer costs memory per socket.
        socketApp.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        socketApp.Run(context => context.RequestServices.GetRequiredService<WebSocketEndpoint>().HandleAsync(context));
        // Anonymous upgrade: the socket authenticates in-band (its first message is `auth`).
        group.Map(options.Routes.WebSocket, socketApp.Build()).WithDisplayName("Remate Live WebSocket").AllowAnonymous();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Identity;

namespace RemateLive.AspNetCore.Sales;

/// <summary>Live sales in <c>AddRemateLive()</c>/<c>MapRemateLive()</c>: REST under the API prefix, <c>/ws/sales/{sale_id}</c> and <c>/hubs/sales</c>.</summary>
internal static class SaleRouting
{
    /// <summary>The native WebSocket route of a sale.</summary>
    public const string SocketRoute = "/ws/sales/{sale_id}";

    /// <summary>The SignalR hub of sales.</summary>
    public const string HubRoute = "/hubs/sales";

    public static void AddSales(IServiceCollection services)
    {
        services.TryAddSingleton<SaleSocketEndpoint>();
        services.AddOptions<HubOptions<SaleHub>>()
            .PostConfigure<IOptions<RemateLiveOptions>>((hub, remate) =>
            {
                hub.MaximumReceiveMessageSize = remate.Value.Realtime.MaxMessageBytes;
                hub.KeepAliveInterval = remate.Value.Realtime.PingInterval;
                hub.ClientTimeoutInterval = 2 * remate.Value.Realtime.PingInterval;
                hub.SupportedProtocols = ["json"]; // as the auction hub: our messages are pre-serialized JSON
            });
    }

    public static void Map(IEndpointRouteBuilder group, RemateLiveOptions options, bool mapWebSocket, bool mapHub)
    {
        // Like the auction REST group: our own policy, in our OpenAPI document, never the host's FallbackPolicy.
        var api = group.MapGroup(options.Routes.Api).WithGroupName(RemateLiveOpenApi.DocumentName);
        api.RequireAuthorization(RemateAuthentication.EndpointPolicy);
        SaleEndpoints.Map(api);
        AuctioneerEndpoints.Map(api);

        if (mapWebSocket)
        {
            var socketApp = group.CreateApplicationBuilder();
            socketApp.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            socketApp.Run(context => context.RequestServices.GetRequiredService<SaleSocketEndpoint>().HandleAsync(context));
            group.Map(SocketRoute, socketApp.Build()).WithDisplayName("Remate Live sale WebSocket").AllowAnonymous(); // authenticates in-band
        }

        if (mapHub)
        {
            group.MapHub<SaleHub>(HubRoute).RequireAuthorization(RemateAuthentication.UserPolicy);
        }
    }
}

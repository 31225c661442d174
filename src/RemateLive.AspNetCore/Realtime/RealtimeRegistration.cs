using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>The real-time side of <c>AddRemateLive()</c>/<c>MapRemateLive()</c>: native WebSocket endpoint and SignalR hub.</summary>
internal static class RealtimeRegistration
{
    /// <summary>Registers the room registry, bid handling and the transports' services.</summary>
    public static void AddRealtime(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }

    /// <summary>Maps the native WebSocket route and the SignalR hub.</summary>
    public static void MapRealtime(IEndpointRouteBuilder group, RemateLiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(options);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Realtime;
using RemateLive.AspNetCore.Rest;
using Scalar.AspNetCore;

namespace RemateLive;

/// <summary>Maps Remate Live's endpoints.</summary>
public static class RemateLiveEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the REST API, the native WebSocket endpoint, the SignalR hub, <c>/health</c> (with <c>/health/live</c>
    /// and <c>/health/ready</c>), our OpenAPI document and the API reference UI, at the routes of
    /// <c>RemateLive:Routes</c> relative to <paramref name="endpoints"/>.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <returns>A convention builder for every mapped endpoint (e.g. to chain <c>RequireHost()</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddRemateLive()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapRemateLive(this IEndpointRouteBuilder endpoints) => MapRemateLive(endpoints, _ => { });

    /// <summary>
    /// Maps Remate Live's endpoints like <see cref="MapRemateLive(IEndpointRouteBuilder)"/>, leaving out what
    /// <paramref name="configure"/> turns off (login, health, OpenAPI, docs, hub, WebSocket).
    /// Endpoints that must be reachable before signing in (login, the WebSocket upgrade — it authenticates
    /// in-band —, health, OpenAPI and docs) allow anonymous callers; every other endpoint carries Remate Live's
    /// own authorization policy, so a host's <c>FallbackPolicy</c> applies to none of them.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="configure">Turns parts off.</param>
    /// <returns>A convention builder for every mapped endpoint (e.g. to chain <c>RequireHost()</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddRemateLive()</c> was not called, or docs are mapped without the OpenAPI document.</exception>
    public static IEndpointConventionBuilder MapRemateLive(this IEndpointRouteBuilder endpoints, Action<RemateLiveMapOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(configure);
        if (endpoints.ServiceProvider.GetService<RemateLiveMarker>() is null)
        {
            throw new InvalidOperationException(
                "MapRemateLive() needs Remate Live's services: call builder.Services.AddRemateLive() before building the app.");
        }

        var map = new RemateLiveMapOptions();
        configure(map);
        if (map.MapDocs && !map.MapOpenApi)
        {
            throw new InvalidOperationException("MapRemateLive(): the API reference (MapDocs) reads the OpenAPI document; turn MapDocs off too or keep MapOpenApi on.");
        }

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<RemateLiveOptions>>().Value;
        var routes = options.Routes;
        var group = endpoints.MapGroup("");

        RestEndpoints.Map(group.MapGroup(routes.Api).WithGroupName(RemateLiveOpenApi.DocumentName), options, map.MapAuthEndpoints);

        RealtimeRegistration.MapRealtime(group, options, map.MapWebSocket, map.MapHub);
        RemateLive.AspNetCore.Sales.SaleRouting.Map(group, options, map.MapWebSocket, map.MapHub);

        if (map.MapHealth)
        {
            HealthEndpoints.Map(group, routes.Health);
        }

        if (map.MapOpenApi)
        {
            OpenApiDocument.Map(group, routes.OpenApi).AllowAnonymous();
        }

        if (map.MapDocs)
        {
            group.MapScalarApiReference(routes.Docs, scalar => scalar
                .WithTitle("Remate Live API")
                .WithOpenApiRoutePattern(routes.OpenApi)).AllowAnonymous();
        }

        return group;
    }
}

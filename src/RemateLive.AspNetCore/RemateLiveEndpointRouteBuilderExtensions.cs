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
    /// and <c>/health/ready</c>), the OpenAPI document
    /// and the API reference UI, at the routes of <c>RemateLive:Routes</c> relative to <paramref name="endpoints"/>.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <returns>A convention builder for every mapped endpoint (e.g. to chain <c>RequireAuthorization()</c> or <c>RequireHost()</c>).</returns>
    /// <exception cref="InvalidOperationException"><c>AddRemateLive()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapRemateLive(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<RemateLiveMarker>() is null)
        {
            throw new InvalidOperationException(
                "MapRemateLive() needs Remate Live's services: call builder.Services.AddRemateLive() before building the app.");
        }

        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<RemateLiveOptions>>().Value;
        var routes = options.Routes;
        var group = endpoints.MapGroup("");

        RestEndpoints.Map(group.MapGroup(routes.Api), options);

        RealtimeRegistration.MapRealtime(group, options);
        RemateLive.AspNetCore.Sales.SaleRouting.Map(group, options);

        HealthEndpoints.Map(group, routes.Health);

        group.MapOpenApi(routes.OpenApi);
        group.MapScalarApiReference(routes.Docs, scalar => scalar
            .WithTitle("Remate Live API")
            .WithOpenApiRoutePattern(routes.OpenApi));
        return group;
    }
}

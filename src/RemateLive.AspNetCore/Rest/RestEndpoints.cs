using Microsoft.AspNetCore.Routing;

namespace RemateLive.AspNetCore.Rest;

/// <summary>Maps the REST API (spec: REST).</summary>
internal static class RestEndpoints
{
    public static void Map(IEndpointRouteBuilder api, RemateLiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
    }
}

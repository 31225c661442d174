using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>
/// The health routes for people and orchestrators: <c>{health}</c> and <c>{health}/ready</c> run every
/// registered check (store reachable, migrations applied, Redis — degraded only — and the host's own);
/// <c>{health}/live</c> runs none: it answers while the process serves HTTP, so a restart is never
/// triggered by a dependency being down.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder group, string health)
    {
        var root = health.TrimEnd('/');
        group.MapHealthChecks(health, Options(_ => true)).ExcludeFromDescription().AllowAnonymous();
        group.MapHealthChecks(root + "/ready", Options(_ => true)).ExcludeFromDescription().AllowAnonymous();
        group.MapHealthChecks(root + "/live", Options(_ => false)).ExcludeFromDescription().AllowAnonymous();
    }

    private static HealthCheckOptions Options(Func<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = HealthReportWriter.WriteAsync,
        AllowCachingResponses = false,
    };
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>Writes <c>/health</c> as JSON: the overall status and each dependency's status, duration and error.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthBody(
            Status(report.Status),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(Status(e.Value.Status), e.Value.Description, e.Value.Duration.TotalMilliseconds, e.Value.Exception?.Message, e.Value.Tags)));
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, WireJson.Options, context.RequestAborted);
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    private sealed record HealthBody(string Status, double DurationMs, Dictionary<string, HealthEntry> Checks);

    private sealed record HealthEntry(string Status, string? Description, double DurationMs, string? Error, IEnumerable<string> Tags);
}

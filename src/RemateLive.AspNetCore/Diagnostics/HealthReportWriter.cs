using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>
/// Writes <c>/health</c> as JSON: the overall status and each dependency's status, description and duration.
/// Exception text never leaves the node (it can name hosts, users or SQL): a description that merely
/// repeats the exception is replaced by a generic one; the health-check service logs the exception.
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthBody(
            Status(report.Status),
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthEntry(Status(e.Value.Status), Description(e.Value), e.Value.Duration.TotalMilliseconds, e.Value.Tags)));
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, WireJson.Options, context.RequestAborted);
    }

    private static string? Description(HealthReportEntry entry) =>
        entry.Exception is { } ex && (entry.Description is null || entry.Description.Contains(ex.Message, StringComparison.Ordinal))
            ? "The check failed; see the node's log."
            : entry.Description;

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    private sealed record HealthBody(string Status, double DurationMs, Dictionary<string, HealthEntry> Checks);

    private sealed record HealthEntry(string Status, string? Description, double DurationMs, IEnumerable<string> Tags);
}

using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RemateLive.Diagnostics;

namespace RemateLive.Sample;

/// <summary>
/// OpenTelemetry for the sample host: Remate Live's spans and metrics, ASP.NET Core's and Npgsql's, sent
/// over OTLP to the collector at <c>OpenTelemetry:Endpoint</c> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Off unless one of them is set.
/// </summary>
internal static class SampleTelemetry
{
    /// <summary>The collector's address when telemetry is on, else null.</summary>
    public static Uri? Endpoint(IConfiguration configuration) =>
        (configuration["OpenTelemetry:Endpoint"] is { Length: > 0 } own ? own : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) is { Length: > 0 } endpoint
            ? Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"OpenTelemetry:Endpoint / OTEL_EXPORTER_OTLP_ENDPOINT is not an absolute URI: '{endpoint}'.")
            : null;

    /// <summary>Adds traces and metrics with the OTLP exporter when an endpoint is configured; otherwise nothing.</summary>
    public static WebApplicationBuilder AddSampleTelemetry(this WebApplicationBuilder builder)
    {
        if (Endpoint(builder.Configuration) is not { } endpoint)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OpenTelemetry:ServiceName"] ?? "remate-live-sample"))
            .WithTracing(t => t
                .AddSource(RemateLiveDiagnostics.ActivitySourceName)
                .AddAspNetCoreInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(RemateLiveDiagnostics.MeterName)
                .AddAspNetCoreInstrumentation());
        if (builder.Configuration["OpenTelemetry:Endpoint"] is { Length: > 0 })
        {
            var protocol = builder.Configuration["OpenTelemetry:Protocol"] is "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, endpoint);
        }
        else
        {
            telemetry.UseOtlpExporter(); // OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS… as the specification says
        }

        return builder;
    }
}

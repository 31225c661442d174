namespace RemateLive.Diagnostics;

/// <summary>
/// The names to collect Remate Live's telemetry by (System.Diagnostics only; no OpenTelemetry dependency):
/// <c>tracing.AddSource(RemateLiveDiagnostics.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(RemateLiveDiagnostics.MeterName)</c>. See docs/observability.md.
/// </summary>
public static class RemateLiveDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of every span: receive, decide, commit, publish, fan-out.</summary>
    public const string ActivitySourceName = "RemateLive";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of every instrument (<c>remate_live.*</c>).</summary>
    public const string MeterName = "RemateLive";
}

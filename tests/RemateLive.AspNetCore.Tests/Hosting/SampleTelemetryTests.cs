using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.Sample;

namespace RemateLive.AspNetCore.Tests.Hosting;

/// <summary>The sample host's OpenTelemetry is off by default and on when a collector address is configured.</summary>
public sealed class SampleTelemetryTests
{
    [Fact]
    public void Without_an_endpoint_nothing_is_registered()
    {
        using var app = new RemateAppFactory();
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void With_OpenTelemetry_Endpoint_traces_and_metrics_are_exported()
    {
        using var app = new TelemetryFactory();
        Assert.NotNull(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("http://collector:4317", null, "http://collector:4317/")]
    [InlineData(null, "http://env-collector:4318", "http://env-collector:4318/")]
    [InlineData("http://own:4317", "http://env:4317", "http://own:4317/")]
    public void The_endpoint_comes_from_our_key_else_the_standard_variable(string? own, string? standard, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenTelemetry:Endpoint"] = own,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = standard,
        }).Build();
        Assert.Equal(expected, SampleTelemetry.Endpoint(configuration)?.ToString());
    }

    [Fact]
    public void A_malformed_endpoint_stops_start_up_with_the_key_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OpenTelemetry:Endpoint"] = "not a uri" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => SampleTelemetry.Endpoint(configuration));
        Assert.Contains("OpenTelemetry:Endpoint", error.Message, StringComparison.Ordinal);
    }

    private sealed class TelemetryFactory : RemateAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["OpenTelemetry:Endpoint"] = "http://127.0.0.1:1" };
    }
}

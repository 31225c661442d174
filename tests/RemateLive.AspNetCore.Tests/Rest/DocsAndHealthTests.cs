using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

public sealed class DocsAndHealthTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task Health_reports_each_check_as_json()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await RemateAppFactory.ReadJsonAsync(response);
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["remate_live"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_REST_api_in_snake_case()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await RemateAppFactory.ReadJsonAsync(response);
        var paths = doc["paths"]!.AsObject();
        foreach (var path in new[] { "/api/auth/login", "/api/auctions", "/api/auctions/{id}", "/api/auctions/{id}/bids", "/api/auctions/{id}/events", "/api/auctions/{id}/close", "/api/auctions/{id}/cancel" })
        {
            Assert.True(paths.ContainsKey(path), $"missing {path}");
        }

        var text = doc.ToJsonString();
        Assert.Contains("\"amount_cents\"", text, StringComparison.Ordinal);
        Assert.Contains("\"min_next_bid_cents\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"amountCents\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_reference_UI_is_served_at_docs()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/scalar.js")).StatusCode);
    }
}

/// <summary>A required dependency that is down turns <c>/health</c> into 503.</summary>
public sealed class UnhealthyDependencyTests(UnhealthyDependencyTests.Factory app) : IClassFixture<UnhealthyDependencyTests.Factory>
{
    public sealed class Factory : RemateAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddHealthChecks()
                .AddCheck("store", () => HealthCheckResult.Unhealthy("connection refused"))
                .AddCheck("cache", () => HealthCheckResult.Degraded("slow")));
        }
    }

    [Fact]
    public async Task Health_is_503_with_the_failing_check_named()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unhealthy", body["status"]!.GetValue<string>());
        Assert.Equal("unhealthy", body["checks"]!["store"]!["status"]!.GetValue<string>());
        Assert.Equal("connection refused", body["checks"]!["store"]!["description"]!.GetValue<string>());
        Assert.Equal("degraded", body["checks"]!["cache"]!["status"]!.GetValue<string>());
    }
}

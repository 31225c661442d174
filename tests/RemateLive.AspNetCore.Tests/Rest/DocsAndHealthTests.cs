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
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_REST_api_in_snake_case()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/remate-live.json");

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

        // Every property of every schema, nested request objects included, has its wire (snake_case) name.
        var camel = doc["components"]!["schemas"]!.AsObject()
            .SelectMany(s => (s.Value!["properties"]?.AsObject() ?? []).Select(p => $"{s.Key}.{p.Key}"))
            .Where(name => name.Split('.')[1].Any(char.IsUpper))
            .ToList();
        Assert.Empty(camel);

        // Enums are snake_case strings, also those only reached through a nullable property (a lot's leading source).
        Assert.Equal("string", doc["components"]!["schemas"]!["BidSource"]!["type"]!.GetValue<string>());
        Assert.Contains("absentee", doc["components"]!["schemas"]!["BidSource"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task The_API_reference_UI_is_served_at_docs()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/remate-live.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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
                .AddCheck("cache", () => HealthCheckResult.Degraded("slow"))
                .AddCheck("leaky", () => throw new InvalidOperationException("Host=db.internal;Password=hunter2 refused")));
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

    [Fact]
    public async Task Ready_fails_with_the_dependency_while_live_still_answers()
    {
        using var client = app.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("unhealthy", JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["store"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var liveBody = JsonNode.Parse(await live.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", liveBody["status"]!.GetValue<string>());
        Assert.Empty(liveBody["checks"]!.AsObject());
    }

    [Fact]
    public async Task Health_shows_a_failing_checks_status_but_never_its_exception_text()
    {
        using var client = app.CreateClient();

        foreach (var path in new[] { "/health", "/health/ready" })
        {
            var text = await (await client.GetAsync(path)).Content.ReadAsStringAsync();
            var leaky = JsonNode.Parse(text)!["checks"]!["leaky"]!;

            Assert.Equal("unhealthy", leaky["status"]!.GetValue<string>());
            Assert.Equal("The check failed; see the node's log.", leaky["description"]!.GetValue<string>());
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("db.internal", text, StringComparison.Ordinal);
            Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore.Tests.Hosting;

/// <summary>The "embed in ≤ 10 lines" promise, on real Kestrel bound to 127.0.0.1.</summary>
public sealed class MinimalHostTests
{
    [Fact]
    public async Task AddRemateLive_and_MapRemateLive_alone_serve_the_api_health_openapi_and_docs_on_Kestrel()
    {
        // What docs/getting-started.md shows (plus a free loopback port and quiet logs for the test).
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRemateLive();
        await using var app = builder.Build();
        app.MapRemateLive();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy", JsonNode.Parse(await health.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());

        var auctions = await http.GetAsync("/api/auctions");
        Assert.Equal(HttpStatusCode.OK, auctions.StatusCode);
        Assert.Equal("application/json", auctions.Content.Headers.ContentType?.MediaType);
        Assert.Empty(JsonNode.Parse(await auctions.Content.ReadAsStringAsync())!.AsArray());

        var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "embedder", display_name = "Embedder" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/remate-live.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/docs")).StatusCode);

        // A guest: Kestrel keeps the host's limits unless the host opts in (below).
        var kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Null(kestrel.Limits.MaxConcurrentConnections);
        Assert.Null(kestrel.Limits.MaxConcurrentUpgradedConnections);
        await app.StopAsync();
    }

    [Fact]
    public void ConfigureKestrelLimits_applies_RemateLive_Kestrel_only_when_called()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddRemateLive(o => o.Kestrel.MaxConcurrentConnections = 19_000).ConfigureKestrelLimits();
        using var app = builder.Build();

        var kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(19_000, kestrel.Limits.MaxConcurrentConnections);
        Assert.Equal(17_000, kestrel.Limits.MaxConcurrentUpgradedConnections);
    }

    [Fact]
    public async Task MapRemateLive_without_AddRemateLive_throws_a_clear_error()
    {
        var builder = WebApplication.CreateBuilder();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapRemateLive());

        Assert.Contains("AddRemateLive()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_are_configurable_and_MapRemateLive_returns_a_convention_builder()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseFreeLoopbackPort();
        builder.Services.AddRemateLive(o =>
        {
            o.Routes.Api = "/auction-api";
            o.Routes.Health = "/healthz";
        });
        await using var app = builder.Build();
        var conventions = app.MapRemateLive();
        var tagged = 0;
        conventions.Add(_ => Interlocked.Increment(ref tagged));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/auction-api/auctions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/auctions")).StatusCode);
        Assert.True(tagged > 5, "conventions added to the returned builder apply to Remate Live's endpoints");
        await app.StopAsync();
    }
}

internal static class LoopbackHostExtensions
{
    // Real Kestrel on a free loopback port: the tests must never listen beyond 127.0.0.1.
    public static void UseFreeLoopbackPort(this ConfigureWebHostBuilder webHost) => webHost.UseUrls("http://127.0.0.1:0");
}

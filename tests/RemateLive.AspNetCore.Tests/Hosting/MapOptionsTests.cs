using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Tests.Identity;

namespace RemateLive.AspNetCore.Tests.Hosting;

/// <summary>Issue #13 item 2: <c>MapRemateLive(o => …)</c> opt-outs and the accepted authentication schemes, on Kestrel.</summary>
public sealed class MapOptionsTests
{
    [Fact]
    public async Task Turned_off_parts_are_not_mapped_and_the_auction_api_still_is()
    {
        await using var app = await StartAsync(
            _ => { },
            o =>
            {
                o.MapAuthEndpoints = false;
                o.MapHealth = false;
                o.MapDocs = false;
                o.MapOpenApi = false;
                o.MapHub = false;
                o.MapWebSocket = false;
            });
        using var http = Client(app);

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/auth/login", new { username = "nobody" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/docs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(RemateLiveOpenApi.DefaultRoute)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/hubs/auctions/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/ws/auctions/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/auctions")).StatusCode);
    }

    [Fact]
    public async Task Docs_without_the_document_is_refused_with_a_clear_error()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddRemateLive();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapRemateLive(o => o.MapOpenApi = false));
        Assert.Contains("MapDocs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_configured_schemes_are_accepted()
    {
        await using var app = await StartAsync(o => o.Identity.AuthenticationSchemes = [HostAuthenticationTests.HeaderAuthenticationHandler.SchemeName], _ => { });
        var identity = app.Services.GetRequiredService<RemateIdentity>();
        var token = (await identity.SignInAsync("token_user", "Token", null, null, null, CancellationToken.None)).Token!;

        using var withToken = Client(app);
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withToken.PostAsync("/hubs/auctions/negotiate?negotiateVersion=1", null)).StatusCode);

        using var hostUser = Client(app);
        hostUser.DefaultRequestHeaders.Add("X-Host-User", "host_person");
        Assert.Equal(HttpStatusCode.OK, (await hostUser.PostAsync("/hubs/auctions/negotiate?negotiateVersion=1", null)).StatusCode);
        var bids = await hostUser.PostAsJsonAsync($"/api/auctions/{Guid.NewGuid()}/bids", new { amount_cents = 100 });
        Assert.Equal(HttpStatusCode.NotFound, bids.StatusCode); // signed in (a missing auction), not 401
    }

    private static async Task<WebApplication> StartAsync(Action<RemateLiveOptions> configure, Action<RemateLiveMapOptions> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, HostAuthenticationTests.HeaderAuthenticationHandler>(HostAuthenticationTests.HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddRemateLive(configure);
        var app = builder.Build();
        app.MapRemateLive(map);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app) => new()
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()),
    };
}

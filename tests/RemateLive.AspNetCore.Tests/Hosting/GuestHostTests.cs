using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Tests.Identity;
using RemateLive.AspNetCore.Tests.Realtime;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Hosting;

/// <summary>
/// Issue #13: Remate Live as a guest in a host with its own camelCase API, its own OpenAPI document
/// (<c>v1</c>), its own default authentication and a <c>FallbackPolicy</c> requiring a signed-in user — on
/// real Kestrel (random loopback port), real HTTP, a real WebSocket and a real SignalR connection.
/// </summary>
public sealed class GuestHostTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _base = null!;

    public sealed record HostThing(string ThingName, int ItemCount);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        // The host's own settings: camelCase JSON everywhere, its own OpenAPI document, its own identity and
        // a fallback policy that locks every endpoint without authorization metadata.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        builder.Services.AddOpenApi();
        builder.Services.AddAuthentication(HostAuthenticationTests.HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HostAuthenticationTests.HeaderAuthenticationHandler>(HostAuthenticationTests.HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddRemateLive();

        _app = builder.Build();
        _app.MapGet("/host/thing", () => new HostThing("lamp", 3));
        _app.MapOpenApi();
        _app.MapRemateLive();
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_hosts_api_keeps_its_camelCase_its_fallback_policy_and_its_Kestrel_limits()
    {
        using var anonymous = new HttpClient { BaseAddress = _base };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/host/thing")).StatusCode);

        using var hostUser = HostClient("host_user");
        var thing = JsonNode.Parse(await hostUser.GetStringAsync("/host/thing"))!;
        Assert.Equal("lamp", thing["thingName"]!.GetValue<string>());
        Assert.Equal(3, thing["itemCount"]!.GetValue<int>());

        var kestrel = _app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Null(kestrel.Limits.MaxConcurrentConnections);
        Assert.Null(kestrel.Limits.MaxConcurrentUpgradedConnections);
    }

    [Fact]
    public async Task Our_login_reads_health_and_docs_are_anonymous_and_our_json_stays_snake_case()
    {
        using var http = new HttpClient { BaseAddress = _base };
        var auctionId = await CreateAuctionAsync();

        var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "guest_bidder", display_name = "Guest" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = JsonNode.Parse(await login.Content.ReadAsStringAsync())!;
        Assert.NotNull(session["user_id"]);
        var token = session["token"]!.GetValue<string>();

        var auctions = JsonNode.Parse(await http.GetStringAsync("/api/auctions"))!.AsArray();
        Assert.Equal(1_000, auctions.Single()!["min_next_bid_cents"]!.GetValue<long>());
        Assert.Equal("open", auctions.Single()!["status"]!.GetValue<string>());

        // Signing in is still required where our contract says so: 401 as our problem, not the fallback's.
        var anonymousBid = await http.PostAsJsonAsync($"/api/auctions/{auctionId}/bids", new { amount_cents = 1_000 });
        var problem = await Infrastructure.ProblemAssert.IsProblemAsync(anonymousBid, HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
        Assert.NotNull(problem["traceId"]);

        using var bidder = new HttpClient { BaseAddress = _base };
        bidder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var bid = await bidder.PostAsJsonAsync($"/api/auctions/{auctionId}/bids", new { amount_cents = 1_000, idempotency_key = "guest-1" });
        Assert.Equal(HttpStatusCode.Created, bid.StatusCode);
        var placed = JsonNode.Parse(await bid.Content.ReadAsStringAsync())!;
        Assert.Equal(1_000, placed["amount_cents"]!.GetValue<long>());
        Assert.Null(placed["amountCents"]);

        var low = await bidder.PostAsJsonAsync($"/api/auctions/{auctionId}/bids", new { amount_cents = 1_000 });
        var tooLow = await Infrastructure.ProblemAssert.IsProblemAsync(low, HttpStatusCode.UnprocessableEntity, "BID_TOO_LOW");
        Assert.Equal(1_100, tooLow["min_next_bid_cents"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public async Task Our_OpenAPI_document_and_the_hosts_v1_each_describe_their_own_endpoints()
    {
        using var anonymous = new HttpClient { BaseAddress = _base };
        var ours = await anonymous.GetAsync(RemateLiveOpenApi.DefaultRoute);
        Assert.Equal(HttpStatusCode.OK, ours.StatusCode);
        var doc = JsonNode.Parse(await ours.Content.ReadAsStringAsync())!;
        var paths = doc["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/auctions/{id}/bids"));
        Assert.False(paths.ContainsKey("/host/thing"));
        Assert.Equal("Remate Live API", doc["info"]!["title"]!.GetValue<string>());
        Assert.Equal("bearer", doc["components"]!["securitySchemes"]![RemateLiveOpenApi.SecuritySchemeName]!["scheme"]!.GetValue<string>());
        Assert.NotNull(paths["/api/auctions/{id}/bids"]!["post"]!["security"]);
        Assert.Null(paths["/api/auth/login"]!["post"]!["security"]);
        var text = doc.ToJsonString();
        Assert.Contains("\"min_next_bid_cents\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"minNextBidCents\"", text, StringComparison.Ordinal);
        var status = doc["components"]!["schemas"]!["AuctionStatus"]!;
        Assert.Equal(["scheduled", "open", "closed", "cancelled"], status["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray());

        // The host's document: its fallback policy applies (it is the host's endpoint), and it lists only the host's API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        using var hostUser = HostClient("host_user");
        var v1 = JsonNode.Parse(await hostUser.GetStringAsync("/openapi/v1.json"))!;
        var v1Paths = v1["paths"]!.AsObject();
        Assert.True(v1Paths.ContainsKey("/host/thing"));
        Assert.DoesNotContain(v1Paths, p => p.Key.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Contains("\"thingName\"", v1.ToJsonString(), StringComparison.Ordinal);
        Assert.NotEqual("Remate Live API", v1["info"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_WebSocket_upgrade_is_anonymous_and_authenticates_in_band_in_snake_case()
    {
        var auctionId = await CreateAuctionAsync();
        var token = await LoginAsync("guest_socket");

        await using var socket = await TestSocket.ConnectAsync(new Uri($"ws://{_base.Authority}/ws/auctions/{auctionId}"));
        await socket.SendAsync(new { type = "auth", payload = new { token } });
        var ok = await socket.NextAsync("auth_ok");
        Assert.Equal(1_000, ok.Payload().GetProperty("auction").GetProperty("min_next_bid_cents").GetInt64());
    }

    [Fact]
    public async Task The_hub_sends_snake_case_even_when_the_hosts_SignalR_json_is_camelCase()
    {
        var auctionId = await CreateAuctionAsync();
        var token = await LoginAsync("guest_hub");
        var pushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_base, "/hubs/auctions"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build(); // the client's default (camelCase) protocol: it only reads what the server wrote
        hub.On<JsonElement>("bid_placed", payload => pushed.TrySetResult(payload));
        await hub.StartAsync();

        var joined = await hub.InvokeAsync<JsonElement>("JoinAuction", auctionId.ToString(), null);
        Assert.Equal("auth_ok", joined.Type());
        Assert.Equal(1_000, joined.Payload().GetProperty("auction").GetProperty("min_next_bid_cents").GetInt64());

        var placed = await hub.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new Dictionary<string, object> { ["amount_cents"] = 1_000 });
        Assert.Equal("bid_placed", placed.Type());
        var payload = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1_000, payload.GetProperty("amount_cents").GetInt64());
        Assert.Equal(auctionId.ToString(), payload.GetProperty("auction_id").GetString());
    }

    private HttpClient HostClient(string user)
    {
        var client = new HttpClient { BaseAddress = _base };
        client.DefaultRequestHeaders.Add("X-Host-User", user);
        return client;
    }

    private async Task<string> LoginAsync(string username)
    {
        using var http = new HttpClient { BaseAddress = _base };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { username });
        login.EnsureSuccessStatusCode();
        return JsonNode.Parse(await login.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }

    private async Task<AuctionId> CreateAuctionAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        var result = await _app.Services.GetRequiredService<CreateAuction>().ExecuteAsync(new CreateAuctionCommand
        {
            Title = "Guest lot",
            Description = "Sold inside someone else's app",
            Currency = "EUR",
            StartingPriceCents = 1_000,
            Increment = IncrementRule.Fixed(100),
            StartsAt = now.AddMinutes(-1),
            EndsAt = now.AddHours(1),
            SellerId = UserId.New(),
        });
        Assert.True(result.Succeeded);
        return result.Auction!.Id;
    }
}

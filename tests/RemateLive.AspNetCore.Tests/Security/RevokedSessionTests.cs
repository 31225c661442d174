using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 3 on long-lived connections: after logout, an open socket or hub connection cannot bid.</summary>
public sealed class RevokedSessionTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task After_logout_an_open_socket_and_hub_connection_get_NOT_AUTHENTICATED_on_bids()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        var (_, token) = await _host.SignInAsync("revoked");
        await using var socket = await _host.JoinAsync(auctionId, "revoked", token: token);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.BaseUri, "/hubs/auctions"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await hub.StartAsync();
        await socket.BidAsync(1_000);
        Assert.Equal(1, (await socket.NextAsync("bid_placed")).Seq());

        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/api/auth/logout", null)).StatusCode);

        await socket.BidAsync(1_100, idempotencyKey: "after-logout");
        var refused = await socket.NextAsync("bid_error");
        Assert.Equal("NOT_AUTHENTICATED", refused.Str("code"));
        Assert.Equal("after-logout", refused.Str("idempotency_key"));

        var viaHub = await hub.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 1_100 });
        Assert.Equal("bid_error", viaHub.Type());
        Assert.Equal("NOT_AUTHENTICATED", viaHub.Str("code"));
    }
}

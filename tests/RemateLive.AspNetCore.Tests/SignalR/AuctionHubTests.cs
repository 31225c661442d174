using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Tests.Realtime;
using RemateLive.AspNetCore;

namespace RemateLive.AspNetCore.Tests.SignalR;

/// <summary>The SignalR hub over real Kestrel (WebSockets transport): same semantics and payloads as the native socket.</summary>
public sealed class AuctionHubTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task JoinAuction_returns_the_snapshot_and_PlaceBid_returns_bid_placed_with_the_key()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 2_000, incrementCents: 100);
        var (_, token) = await _host.SignInAsync("sigrid");
        await using var hub = await HubClient.ConnectAsync(_host, token);

        var joined = await hub.Connection.InvokeAsync<JsonElement>("JoinAuction", auctionId.ToString(), null);
        Assert.Equal("auth_ok", joined.Type());
        Assert.Equal("sigrid", joined.Str("username"));
        Assert.Equal(2_000, joined.Payload().GetProperty("auction").GetProperty("min_next_bid_cents").GetInt64());
        Assert.Equal(1, joined.Num("online_count"));

        var result = await hub.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 2_000, version = 0, idempotency_key = "sr-1" });
        Assert.Equal("bid_placed", result.Type());
        Assert.Equal("sr-1", result.Str("idempotency_key"));
        Assert.Equal(1, result.Seq());

        var pushed = await hub.NextAsync("bid_placed");
        Assert.Equal(1, pushed.Seq());

        var low = await hub.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 2_050 });
        Assert.Equal("bid_error", low.Type());
        Assert.Equal("BID_TOO_LOW", low.Str("code"));
        Assert.Equal(2_100, low.Num("min_next_bid_cents"));

        var bad = await hub.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 12.5 });
        Assert.Equal("INVALID_AMOUNT", bad.Str("code"));
        var wrongType = await hub.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = "lots" });
        Assert.Equal("error", wrongType.Type());
        Assert.Equal("INVALID_MESSAGE", wrongType.Str("code"));

        var missing = await hub.Connection.InvokeAsync<JsonElement>("JoinAuction", Guid.NewGuid().ToString(), null);
        Assert.Equal("NOT_FOUND", missing.Str("code"));
    }

    [Fact]
    public async Task Hub_clients_get_outbid_presence_and_replay_after_last_seq()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        var (_, aliceToken) = await _host.SignInAsync("alice");
        var (_, bobToken) = await _host.SignInAsync("bob");
        await using var alice = await HubClient.ConnectAsync(_host, aliceToken);
        await alice.Connection.InvokeAsync<JsonElement>("JoinAuction", auctionId.ToString(), null);
        await using (var bob = await HubClient.ConnectAsync(_host, bobToken))
        {
            await bob.Connection.InvokeAsync<JsonElement>("JoinAuction", auctionId.ToString(), null);
            Assert.Equal("bob", (await alice.NextAsync("user_joined")).Str("username"));

            await alice.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 1_000 });
            await bob.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 1_100 });
            var outbid = await alice.NextAsync("outbid");
            Assert.Equal(2, outbid.Seq());
            Assert.Equal("BOB", outbid.Str("bidder_name"));
            await bob.Connection.InvokeAsync("LeaveAuction", auctionId.ToString());
        }

        Assert.Equal(1, (await alice.NextAsync("user_left")).Num("online_count"));

        await using var late = await HubClient.ConnectAsync(_host, bobToken);
        await late.Connection.InvokeAsync<JsonElement>("JoinAuction", auctionId.ToString(), 1L);
        Assert.Equal(2, (await late.NextAsync("bid_placed")).Seq());
    }

    [Fact]
    public async Task A_hub_connection_without_a_token_is_refused()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.BaseUri, "/hubs/auctions"), HttpTransportType.WebSockets)
            .Build();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => connection.StartAsync());
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task SignalR_and_WebSocket_clients_in_one_auction_see_the_same_events_in_seq_order()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100, softClose: new RemateLive.Domain.SoftClosePolicy(60, 60, 5), duration: TimeSpan.FromSeconds(30));
        var (_, token) = await _host.SignInAsync("hubber");
        await using var hub = await HubClient.ConnectAsync(_host, token);
        await hub.Connection.InvokeAsync<JsonElement>("JoinAuction", auctionId.ToString(), null);
        await using var socket = await _host.JoinAsync(auctionId, "socketeer");

        for (var i = 0; i < 5; i++)
        {
            await hub.Connection.InvokeAsync<JsonElement>("PlaceBid", auctionId.ToString(), new { amount_cents = 1_000 + (200 * i) });
            await socket.BidAsync(1_100 + (200 * i));
            await socket.NextAsync("bid_placed");
            await socket.NextAsync("bid_placed");
        }

        await _host.Services.GetRequiredService<RemateLive.UseCases.CloseAuction>().ExecuteAsync(auctionId);
        await socket.NextAsync("auction_closed");
        await hub.NextAsync("auction_closed");

        static string[] Durable(IEnumerable<JsonElement> messages) =>
            [.. messages.Where(m => m.Payload().TryGetProperty("seq", out _) && m.Type() != "outbid").Select(m => $"{m.Type()}#{m.Seq()}:{m.Payload().GetRawText().Length > 0}")];

        var fromSocket = Durable(socket.Received);
        var fromHub = Durable(hub.Received);
        Assert.True(fromSocket.Length >= 11, string.Join(", ", fromSocket)); // 10 bids (+ extensions) + close
        Assert.Equal(fromSocket, fromHub);
        Assert.Equal(fromSocket.Select((_, i) => i + 1), socket.Received.Where(m => m.Payload().TryGetProperty("seq", out _) && m.Type() != "outbid").Select(m => (int)m.Seq()));

        // Payloads are the same shape on both transports.
        var socketBid = socket.Received.First(m => m.Type() == "bid_placed").Payload();
        var hubBid = hub.Received.First(m => m.Type() == "bid_placed").Payload();
        Assert.Equal(socketBid.EnumerateObject().Select(p => p.Name).Where(n => n != "idempotency_key"), hubBid.EnumerateObject().Select(p => p.Name).Where(n => n != "idempotency_key"));
    }

    /// <summary>A SignalR client that records every pushed message as <c>{type, payload}</c>, like the socket.</summary>
    private sealed class HubClient : IAsyncDisposable
    {
        private static readonly string[] Types =
            ["bid_placed", "outbid", "auction_extended", "auction_closed", "auction_cancelled", "user_joined", "user_left", "error", "ping"];

        private readonly System.Threading.Channels.Channel<JsonElement> _inbox = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();

        private HubClient(HubConnection connection) => Connection = connection;

        public HubConnection Connection { get; }

        public List<JsonElement> Received { get; } = [];

        public static async Task<HubClient> ConnectAsync(RealtimeTestHost host, string token)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(host.BaseUri, "/hubs/auctions"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .AddJsonProtocol(o => WireJson.Configure(o.PayloadSerializerOptions))
                .Build();
            var client = new HubClient(connection);
            foreach (var type in Types)
            {
                connection.On<JsonElement>(type, payload =>
                {
                    using var doc = JsonDocument.Parse($"{{\"type\":\"{type}\",\"payload\":{payload.GetRawText()}}}");
                    client._inbox.Writer.TryWrite(doc.RootElement.Clone());
                });
            }

            await connection.StartAsync();
            return client;
        }

        public async Task<JsonElement> NextAsync(string type)
        {
            using var cts = new CancellationTokenSource(TestSocket.Timeout);
            while (true)
            {
                var message = await _inbox.Reader.ReadAsync(cts.Token);
                Received.Add(message);
                if (message.Type() == type)
                {
                    return message;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Drain what arrived so Received is complete for assertions made before disposal.
            while (_inbox.Reader.TryRead(out var m))
            {
                Received.Add(m);
            }

            await Connection.DisposeAsync();
        }
    }
}

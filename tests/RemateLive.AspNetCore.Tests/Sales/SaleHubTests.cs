using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Sales;

/// <summary><c>/hubs/sales</c> over real Kestrel: the same events and payloads as the native sale socket, resumable by last_seq.</summary>
public sealed class SaleHubTests : IAsyncLifetime
{
    private static readonly string[] Types = ["lot_opened", "asking_price", "bid_placed", "fair_warning", "lot_sold", "lot_passed", "lot_withdrawn", "sale_paused", "sale_resumed", "sale_ended", "auth_ok"];
    private SaleHost _sale = null!;

    public async Task InitializeAsync() => _sale = await SaleHost.StartAsync();

    public async Task DisposeAsync() => await _sale.DisposeAsync();

    [Fact]
    public async Task JoinSale_pushes_events_in_seq_order_and_Bid_answers_bid_ok_or_bid_error()
    {
        var sale = await _sale.CreateSaleAsync();
        var saleId = sale.GetProperty("id").GetString()!;
        var lot = sale.GetProperty("lots")[0].GetProperty("id").GetString()!;
        await _sale.CommandAsync(saleId, new { action = "open_lot" }); // seq 1, before the hub joins

        var (_, token) = await _sale.Host.SignInAsync("hugo");
        var inbox = Channel.CreateUnbounded<JsonElement>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_sale.Host.BaseUri, "/hubs/sales"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => WireJson.Configure(o.PayloadSerializerOptions))
            .Build();
        foreach (var type in Types)
        {
            hub.On<JsonElement>(type, payload =>
            {
                using var doc = JsonDocument.Parse($"{{\"type\":\"{type}\",\"payload\":{payload.GetRawText()}}}");
                inbox.Writer.TryWrite(doc.RootElement.Clone());
            });
        }

        await hub.StartAsync();
        var joined = await hub.InvokeAsync<JsonElement>("JoinSale", saleId, 0L);
        Assert.Equal("auth_ok", joined.Type());
        Assert.Equal("auth_ok", (await NextAsync(inbox)).Type());
        Assert.Equal((1L, "lot_opened"), ((await NextAsync(inbox)) is var replayed ? replayed.Seq() : 0, replayed.Type())); // replayed after last_seq 0

        var ok = await hub.InvokeAsync<JsonElement>("Bid", saleId, lot, 1_000L);
        Assert.Equal(("bid_ok", 2L), (ok.Type(), ok.Seq()));
        Assert.Equal((2L, "bid_placed"), ((await NextAsync(inbox)) is var live ? live.Seq() : 0, live.Type()));
        var stale = await hub.InvokeAsync<JsonElement>("Bid", saleId, lot, 1_000L);
        Assert.Equal(("bid_error", "ASKING_PRICE_CHANGED", 1_100L), (stale.Type(), stale.Str("code"), stale.Num("asking_price_cents")));

        await _sale.CommandAsync(saleId, new { action = "sold" });
        Assert.Equal((3L, "lot_sold"), ((await NextAsync(inbox)) is var sold ? sold.Seq() : 0, sold.Type()));
        var resumed = await hub.InvokeAsync<JsonElement>("Resume", saleId, 1L);
        Assert.Equal("resumed", resumed.Type());
        Assert.Equal([2L, 3L], new[] { await NextAsync(inbox), await NextAsync(inbox) }.Select(m => m.Seq()));
    }

    private static async Task<JsonElement> NextAsync(Channel<JsonElement> inbox)
    {
        using var cts = new CancellationTokenSource(TestSocket.Timeout);
        return await inbox.Reader.ReadAsync(cts.Token);
    }
}

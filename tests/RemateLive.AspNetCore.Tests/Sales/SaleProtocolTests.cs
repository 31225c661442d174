using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.AspNetCore.Tests.Realtime;
using Snapshooter;
using Snapshooter.Xunit;

namespace RemateLive.AspNetCore.Tests.Sales;

/// <summary>A live sale over real sockets: the auctioneer on REST, two bidders on <c>/ws/sales/{id}</c>.</summary>
public sealed class SaleProtocolTests : IAsyncLifetime
{
    private SaleHost _sale = null!;

    public async Task InitializeAsync() => _sale = await SaleHost.StartAsync();

    public async Task DisposeAsync() => await _sale.DisposeAsync();

    [Fact]
    public async Task A_three_lot_sale_reaches_every_bidder_in_seq_order_and_keeps_absentee_maxima_secret()
    {
        var sale = await _sale.CreateSaleAsync();
        var saleId = sale.GetProperty("id").GetString()!;
        var lots = sale.GetProperty("lots").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToArray();
        var (ana, anaToken) = await _sale.JoinAsync(saleId, "ana");
        var (ben, _) = await _sale.JoinAsync(saleId, "ben");
        await using var _a = ana;
        await using var _b = ben;
        Assert.Equal("scheduled", ana.AuthOk.Payload().GetProperty("sale").GetProperty("status").GetString());

        // Ana leaves an absentee maximum of 1,250 on lot 1 (REST), never shown to anyone.
        using var anaHttp = SaleHost.Client(_sale.Host, anaToken);
        var absentee = await anaHttp.PostAsJsonAsync($"/api/sales/{saleId}/lots/{lots[0]}/absentee-bids", new { max_amount_cents = 1_250 });
        Assert.Equal(HttpStatusCode.Created, absentee.StatusCode);
        var anaPaddle = (await SaleJson(absentee)).GetProperty("paddle").GetInt32();

        // Lot 1: opens, Ana's maximum bids the starting price; Ben bids the asking price; her maximum answers; Ben's stale bid is refused.
        var openedView = await _sale.CommandAsync(saleId, new { action = "open_lot" });
        Assert.Equal(1_100, openedView.GetProperty("lots")[0].GetProperty("asking_price_cents").GetInt64());
        Assert.Equal("lot_opened", (await ben.NextNonPingAsync()).Type());
        Assert.Equal(1_000, (await ben.NextAsync("bid_placed")).Num("amount_cents"));
        await ben.SendAsync(new { type = "bid", lot_id = lots[0], amount_cents = 1_100 });
        var ok = await ben.NextAsync("bid_ok");
        Assert.Equal(3, ok.Seq());
        var answer = ben.Received.Single(m => m.Type() == "bid_placed" && m.Seq() == 4); // events are delivered before the bidder's answer
        Assert.Equal((1_200, "absentee", anaPaddle), (answer.Num("amount_cents"), answer.Str("source"), answer.Payload().GetProperty("paddle").GetInt32()));
        await ben.SendAsync(new { type = "bid", lot_id = lots[0], amount_cents = 1_200 });
        var stale = await ben.NextAsync("bid_error");
        Assert.Equal(("ASKING_PRICE_CHANGED", 1_300), (stale.Str("code"), stale.Num("asking_price_cents")));
        await _sale.CommandAsync(saleId, new { action = "fair_warning" });
        var afterSold = await _sale.CommandAsync(saleId, new { action = "sold" });
        Assert.Equal("sold", afterSold.GetProperty("lots")[0].GetProperty("status").GetString());

        // Lot 2: sold on the floor to paddle 12.
        await _sale.CommandAsync(saleId, new { action = "open_lot" });
        await _sale.CommandAsync(saleId, new { action = "floor_bid", paddle = 12, amount_cents = 2_000 });
        await _sale.CommandAsync(saleId, new { action = "sold" });

        // Lot 3: paused (bids refused), resumed, passed; the sale ends.
        await _sale.CommandAsync(saleId, new { action = "open_lot" });
        await _sale.CommandAsync(saleId, new { action = "pause" });
        await ben.SendAsync(new { type = "bid", lot_id = lots[2], amount_cents = 3_000 });
        Assert.Equal("SALE_PAUSED", (await ben.NextAsync("bid_error")).Str("code"));
        await _sale.CommandAsync(saleId, new { action = "resume" });
        await _sale.CommandAsync(saleId, new { action = "pass" });
        await ana.NextAsync("sale_ended");
        await ben.NextAsync("sale_ended");

        string[] expected =
        [
            "lot_opened", "bid_placed", "bid_placed", "bid_placed", "fair_warning", "lot_sold",
            "lot_opened", "bid_placed", "lot_sold",
            "lot_opened", "sale_paused", "sale_resumed", "lot_passed", "sale_ended",
        ];
        foreach (var socket in new[] { ana, ben })
        {
            var events = socket.Received.Where(m => expected.Contains(m.Type())).ToArray();
            Assert.Equal(expected, events.Select(m => m.Type()));
            Assert.Equal(Enumerable.Range(1, expected.Length).Select(i => (long)i), events.Select(m => m.Seq()));
            Assert.DoesNotContain(socket.Received, m => m.GetRawText().Contains("1250", StringComparison.Ordinal) || m.GetRawText().Contains("max", StringComparison.Ordinal));
        }

        var sold = ana.Received.Where(m => m.Type() == "lot_sold").ToArray();
        Assert.Equal(("absentee", 1_200, anaPaddle), (sold[0].Str("source"), sold[0].Num("price_cents"), sold[0].Payload().GetProperty("paddle").GetInt32()));
        Assert.Equal(("floor", 12), (sold[1].Str("source"), sold[1].Payload().GetProperty("paddle").GetInt32()));

        // A late joiner resumes from last_seq; a resume on an open socket replays again; REST lists the same log.
        var (late, _) = await _sale.JoinAsync(saleId, "cleo", lastSeq: 10);
        await using var _c = late;
        Assert.Equal([11L, 12L, 13L, 14L], new[] { await late.NextNonPingAsync(), await late.NextNonPingAsync(), await late.NextNonPingAsync(), await late.NextNonPingAsync() }.Select(m => m.Seq()));
        await late.SendAsync(new { type = "resume", last_seq = 12 });
        Assert.Equal(13, (await late.NextNonPingAsync()).Seq());
        var log = await _sale.Auctioneer.GetFromJsonAsync<JsonElement>($"/api/sales/{saleId}/events?after_seq=0&limit=500");
        Assert.Equal(expected, log.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Bad_input_gets_an_error_with_a_code_and_the_connection_stays_open()
    {
        var sale = await _sale.CreateSaleAsync();
        var saleId = sale.GetProperty("id").GetString()!;
        await using var anon = await TestSocket.ConnectAsync(new Uri($"ws://{_sale.Host.BaseUri.Authority}/ws/sales/{saleId}"));
        await anon.SendAsync(new { type = "bid", lot_id = Guid.NewGuid(), amount_cents = 1_000 });
        Assert.Equal("NOT_AUTHENTICATED", (await anon.NextAsync("error")).Str("code"));
        await anon.SendAsync(new { type = "auth", token = "forged" });
        Assert.Equal("NOT_AUTHENTICATED", (await anon.NextAsync("auth_error")).Str("code"));

        var (bidder, token) = await _sale.JoinAsync(saleId, "dora");
        await using var _d = bidder;
        await bidder.SendRawAsync("{not json");
        Assert.Equal("INVALID_MESSAGE", (await bidder.NextAsync("error")).Str("code"));
        await bidder.SendAsync(new { type = "bid", lot_id = "nope", amount_cents = 1_000 });
        Assert.Equal("INVALID_MESSAGE", (await bidder.NextAsync("error")).Str("code"));
        await bidder.SendAsync(new { type = "bid", lot_id = sale.GetProperty("lots")[0].GetProperty("id").GetString(), amount_cents = 1_000 });
        Assert.Equal("LOT_NOT_OPEN", (await bidder.NextAsync("bid_error")).Str("code"));

        // REST: a bidder may not run the rostrum; unknown actions and sales are refused as problem details.
        using var http = SaleHost.Client(_sale.Host, token);
        await ProblemAssert.IsProblemAsync(await http.PostAsJsonAsync($"/api/sales/{saleId}/auctioneer", new { action = "open_lot" }), HttpStatusCode.Forbidden, "FORBIDDEN");
        await ProblemAssert.IsValidationAsync(await _sale.Auctioneer.PostAsJsonAsync($"/api/sales/{saleId}/auctioneer", new { action = "dance" }), "action");
        await ProblemAssert.IsProblemAsync(await _sale.Auctioneer.PostAsJsonAsync($"/api/sales/{saleId}/auctioneer", new { action = "sold" }), HttpStatusCode.Conflict, "LOT_NOT_OPEN");
        await ProblemAssert.IsProblemAsync(await _sale.Auctioneer.GetAsync($"/api/sales/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ProblemAssert.IsValidationAsync(await _sale.Auctioneer.PostAsJsonAsync("/api/sales", new { title = "", currency = "usd", increment = new { kind = "fixed", amount_cents = 100 }, lots = Array.Empty<object>() }), "title", "currency", "lots");

        // Still open: the socket answers a bid after all that.
        await _sale.CommandAsync(saleId, new { action = "open_lot" });
        await bidder.SendAsync(new { type = "bid", lot_id = sale.GetProperty("lots")[0].GetProperty("id").GetString(), amount_cents = 1_000 });
        Assert.Equal(1_001, (await bidder.NextAsync("bid_ok")).Payload().GetProperty("paddle").GetInt32());
    }

    [Fact]
    public async Task Every_sale_message_keeps_its_shape()
    {
        var sale = await _sale.CreateSaleAsync();
        var saleId = sale.GetProperty("id").GetString()!;
        var lot = sale.GetProperty("lots")[0].GetProperty("id").GetString()!;
        var (socket, _) = await _sale.JoinAsync(saleId, "shape");
        await using var _s = socket;
        await _sale.CommandAsync(saleId, new { action = "withdraw", lot_id = sale.GetProperty("lots")[2].GetProperty("id").GetString() });
        await _sale.CommandAsync(saleId, new { action = "open_lot" });
        await _sale.CommandAsync(saleId, new { action = "set_asking", amount_cents = 1_500 });
        await socket.SendAsync(new { type = "bid", lot_id = lot, amount_cents = 1_400 });
        await socket.NextAsync("bid_error");
        await socket.SendAsync(new { type = "bid", lot_id = lot, amount_cents = 1_500 });
        await socket.NextAsync("bid_ok");
        await _sale.CommandAsync(saleId, new { action = "fair_warning" });
        await _sale.CommandAsync(saleId, new { action = "pause" });
        await _sale.CommandAsync(saleId, new { action = "resume" });
        await _sale.CommandAsync(saleId, new { action = "sold" });
        await _sale.CommandAsync(saleId, new { action = "open_lot" });
        await _sale.CommandAsync(saleId, new { action = "pass" });
        await socket.NextAsync("sale_ended");

        var byType = new Dictionary<string, JsonElement> { ["auth_ok"] = socket.AuthOk };
        foreach (var m in socket.Received)
        {
            byType.TryAdd(m.Type(), m);
        }

        string[] types =
        [
            "auth_ok", "lot_withdrawn", "lot_opened", "asking_price", "bid_error", "bid_ok", "bid_placed", "fair_warning",
            "sale_paused", "sale_resumed", "lot_sold", "lot_passed", "sale_ended",
        ];
        foreach (var type in types)
        {
            Assert.True(byType.ContainsKey(type), $"no {type} received");
            Snapshot.Match(MessageCatalog.Normalize(byType[type]), new SnapshotNameExtension(type));
        }
    }

    private static async Task<JsonElement> SaleJson(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

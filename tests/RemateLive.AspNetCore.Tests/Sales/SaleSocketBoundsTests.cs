using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.AspNetCore.Realtime;
using RemateLive.AspNetCore.Sales;
using RemateLive.AspNetCore.Tests.Realtime;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Increments;
using RemateLive.InMemory;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Sales;

/// <summary>
/// The sale socket runs on the auction socket's core: the node's heartbeat, client ping → pong at most every
/// 250 ms, the message size limit; and a connection catching up holds back a bounded number of live events.
/// </summary>
public sealed class SaleSocketBoundsTests : IAsyncLifetime
{
    private SaleHost _sale = null!;

    public async Task InitializeAsync() => _sale = await SaleHost.StartAsync();

    public async Task DisposeAsync() => await _sale.DisposeAsync();

    [Fact]
    public async Task A_client_ping_is_answered_with_its_nonce_at_most_every_quarter_second()
    {
        var saleId = (await _sale.CreateSaleAsync()).GetProperty("id").GetString()!;
        var (ana, _) = await _sale.JoinAsync(saleId, "pinger");
        await using var _a = ana;

        await ana.SendAsync(new { type = "ping", payload = new { nonce = "n-1" } });
        var pong = await ana.NextAsync("pong");
        Assert.Equal(("n-1", "2026-11-28T12:00:00.000Z"), (pong.Str("nonce"), pong.Str("server_time")));

        // Within the same quarter second: not answered; the bad ping after it is (in order), the socket stays open.
        await ana.SendAsync(new { type = "ping", payload = new { nonce = "n-2" } });
        await ana.SendAsync(new { type = "ping", payload = new { nonce = new string('x', 65) } });
        var error = await ana.NextNonPingAsync();
        Assert.Equal(("error", "INVALID_MESSAGE"), (error.Type(), error.Str("code")));

        _sale.Host.Time.Advance(TimeSpan.FromMilliseconds(250));
        await ana.SendAsync(new { type = "ping", nonce = "n-3" });
        Assert.Equal("n-3", (await ana.NextNonPingAsync()).Str("nonce"));
    }

    [Fact]
    public async Task The_nodes_heartbeat_pings_sale_sockets_and_closes_a_silent_one_with_1001()
    {
        var saleId = (await _sale.CreateSaleAsync()).GetProperty("id").GetString()!;
        var (lively, _) = await _sale.JoinAsync(saleId, "lively");
        var (silent, _) = await _sale.JoinAsync(saleId, "silent");
        await using var _l = lively;
        await using var _s = silent;

        _sale.Host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("2026-11-28T12:00:30.000Z", (await lively.NextAsync("ping")).Str("server_time"));
        await silent.NextAsync("ping");
        await lively.SendAsync(new { type = "pong" });
        await lively.SendAsync(new { type = "ping", nonce = "round-trip" }); // proves the pong was read before time moves on
        await lively.NextAsync("pong");

        _sale.Host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await silent.ReceiveCloseAsync());
        Assert.Equal("2026-11-28T12:01:00.000Z", (await lively.NextAsync("ping")).Str("server_time"));
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_with_1009_and_no_auth_in_time_with_1008()
    {
        var saleId = (await _sale.CreateSaleAsync()).GetProperty("id").GetString()!;
        var (big, _) = await _sale.JoinAsync(saleId, "big");
        await using var _b = big;
        await big.SendRawAsync($"{{\"type\":\"ping\",\"nonce\":\"{new string('x', 5_000)}\"}}");
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await big.ReceiveCloseAsync());

        await using var late = await TestSocket.ConnectAsync(new Uri($"ws://{_sale.Host.BaseUri.Authority}/ws/sales/{saleId}"));
        await late.SendAsync(new { type = "pong" });
        await late.SendAsync(new { type = "resume", last_seq = 0 });
        Assert.Equal("NOT_AUTHENTICATED", (await late.NextAsync("error")).Str("code")); // the session (and its timers) runs
        _sale.Host.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await late.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Live_events_held_back_during_a_catch_up_follow_the_stored_ones_in_order()
    {
        var (sales, feed, saleId) = await SaleWithEventsAsync(floorBids: 20); // seq 1..21
        var connection = new GatedConnection(capacity: 8);
        var overflowed = 0;
        using var subscriber = new SaleSubscriber(connection, saleId, sales, feed, () => overflowed++);

        subscriber.Start(knownSeq: 21, lastSeq: 0, CancellationToken.None);
        await connection.WaitUntilQueuedAsync(7); // the replay waits for the stalled client to drain
        var live = await MoreEventsAsync(sales, saleId, 5); // seq 22..26, held back (at most 8)
        Assert.Equal(26, live[^1].Seq);

        connection.Open();
        await connection.WaitUntilSentAsync(26);
        Assert.Equal(Enumerable.Range(1, 26).Select(i => (long)i), connection.Sent.Select(Seq));
        Assert.Equal(0, overflowed);
    }

    [Fact]
    public async Task More_live_events_than_the_hold_back_allows_end_the_connection_with_CATCH_UP_OVERFLOW()
    {
        var (sales, feed, saleId) = await SaleWithEventsAsync(floorBids: 20);
        var connection = new GatedConnection(capacity: 8);
        var overflowed = 0;
        using var subscriber = new SaleSubscriber(connection, saleId, sales, feed, () => overflowed++);
        Assert.Equal(8, subscriber.MaxHeldBack); // one send queue's worth

        subscriber.Start(knownSeq: 21, lastSeq: 0, CancellationToken.None);
        await connection.WaitUntilQueuedAsync(7);
        await MoreEventsAsync(sales, saleId, 9);

        Assert.Equal(1, overflowed);
        Assert.Equal(0, connection.FreeRoom); // the error took the queue's last slot
        connection.Open();
        await connection.WaitUntilAsync(() => connection.Sent.Any(m => m.Type() == "error"));
        var error = connection.Sent.Single(m => m.Type() == "error");
        Assert.Equal("CATCH_UP_OVERFLOW", error.Str("code"));
        Assert.Contains("8 live events", error.Str("error"), StringComparison.Ordinal);
        Assert.DoesNotContain(connection.Sent, m => m.Type() != "error" && Seq(m) > 21); // nothing live after the overflow
    }

    private static long Seq(JsonElement message) => message.Seq();

    private static async Task<(LiveSales Sales, SaleFeed Feed, SaleId Id)> SaleWithEventsAsync(int floorBids)
    {
        var store = new InMemorySaleStore();
        var options = new BiddingOptions { GapCheckInterval = TimeSpan.FromHours(1) };
        var feed = new SaleFeed(store, new InMemorySaleEventBus(), options, TimeProvider.System, NullLogger<SaleFeed>.Instance);
        var sales = new LiveSales(store, BidIncrementStrategies.BuiltIn, options, TimeProvider.System, feed);
        var (sale, errors) = await sales.CreateAsync(new CreateSaleCommand("Bounds", "USD", IncrementRule.Fixed(100), DateTimeOffset.UtcNow, [new NewLot("Lot", 1_000)], UserId.New()));
        Assert.Empty(errors);
        Assert.True((await sales.OpenLotAsync(sale!.Id)).Succeeded);
        await MoreEventsAsync(sales, sale.Id, floorBids);
        return (sales, feed, sale.Id);
    }

    // Floor bids at the asking price by alternating paddles: one event each.
    private static async Task<List<SaleEvent>> MoreEventsAsync(LiveSales sales, SaleId id, int count)
    {
        var events = new List<SaleEvent>();
        for (var i = 0; i < count; i++)
        {
            var state = (await sales.GetAsync(id))!;
            var lot = state.CurrentLot!;
            var result = await sales.PlaceBidAsync(id, SaleBidRequest.Floor(lot.Id, lot.AskingPrice!.Value, state.Seq % 2 == 0 ? 7 : 8));
            Assert.True(result.Succeeded, result.Error?.Message);
            events.AddRange(result.Events);
        }

        return events;
    }

    /// <summary>A connection whose client reads nothing until <see cref="Open"/>; records what was sent.</summary>
    private sealed class GatedConnection : RealtimeConnection
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<JsonElement> _sent = [];
        private bool _sending;

        public GatedConnection(int capacity)
            : base(Guid.NewGuid().ToString("N"), "test", capacity) => _ = RunWriterAsync(CancellationToken.None);

        public IReadOnlyList<JsonElement> Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public void Open() => _open.TrySetResult();

        /// <summary>Until the writer is stuck sending the first message and <paramref name="count"/> more wait behind it.</summary>
        public Task WaitUntilQueuedAsync(int count) => WaitUntilAsync(() => Volatile.Read(ref _sending) && Capacity - FreeRoom == count);

        public Task WaitUntilSentAsync(int count) => WaitUntilAsync(() => Sent.Count >= count);

        public async Task WaitUntilAsync(Func<bool> condition)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!condition())
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        protected override async ValueTask SendAsync(ServerMessage message, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _sending, true);
            await _open.Task;
            lock (_sent)
            {
                _sent.Add(JsonDocument.Parse(message.Utf8).RootElement.Clone());
            }
        }

        protected override void OnAbort(AbortReason reason)
        {
        }
    }
}

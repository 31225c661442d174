using System.Diagnostics;
using System.Net;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>
/// A live sale across two real nodes on one PostgreSQL and one Redis: the auctioneer and one bidder on
/// node A, watchers on node B. The cluster's gap check runs once a minute, so only the Redis sale bus can
/// bring node A's commits to node B within the asserted second.
/// </summary>
[Collection("multi-node")]
public sealed class SaleMultiNodeTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan CrossNodeBudget = TimeSpan.FromSeconds(1);
    private readonly Cluster _cluster = fixture.Cluster;
    private Api _apiA = null!;
    private Api _apiB = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _apiA = new Api(_cluster.A.BaseAddress);
        _apiB = new Api(_cluster.B.BaseAddress);
        _admin = await _apiA.LoginAsync("admin", Cluster.AdminPassword);
    }

    public Task DisposeAsync()
    {
        _apiA.Dispose();
        _apiB.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SaleEventsCommittedOnNodeAReachASocketOnNodeBWellUnderASecond()
    {
        Assert.Equal("00:01:00", _cluster.Settings["RemateLive__Bidding__GapCheckInterval"]);
        var sale = await _apiA.PostAsync("/api/sales", _admin, new
        {
            title = "Cross-node sale",
            currency = "USD",
            increment = new { kind = "fixed", amount_cents = 100 },
            lots = new[] { new { title = "Lot one", starting_price_cents = 1_000 }, new { title = "Lot two", starting_price_cents = 2_000 } },
        }, HttpStatusCode.Created);
        var saleId = sale.GetProperty("id").GetString()!;
        var lot = sale.GetProperty("lots")[0].GetProperty("id").GetString()!;
        var anaToken = await _apiA.LoginAsync(MultiNodeTests.Unique("ana"));
        var benToken = await _apiB.LoginAsync(MultiNodeTests.Unique("ben"));
        await using var ana = await SocketClient.JoinSaleAsync(_cluster.A.BaseAddress, saleId, anaToken);
        await using var ben = await SocketClient.JoinSaleAsync(_cluster.B.BaseAddress, saleId, benToken);

        // Warm-up (a fresh node compiles the sale path on first use): the first event is not timed, but
        // already it can only come over the bus, the gap check being a minute away.
        await _apiA.PostAsync($"/api/sales/{saleId}/auctioneer", _admin, new { action = "open_lot" });
        var opened = await ben.WaitForAsync("lot_opened", timeout: TimeSpan.FromSeconds(10));

        // The auctioneer on node A: each event must reach Ben on node B within the budget of reaching Ana on node A.
        var asking = await CrossAsync(() => _apiA.PostAsync($"/api/sales/{saleId}/auctioneer", _admin, new { action = "set_asking", amount_cents = 1_500 }), ana, ben, "asking_price");

        // Ana's online bid on node A's socket reaches Ben; Ben's answer on node B reaches Ana on node A.
        var anaBid = await CrossAsync(() => ana.SendAsync("bid", new { lot_id = lot, amount_cents = 1_500 }), ana, ben, "bid_placed");
        Assert.Equal(1_500, anaBid.Payload.GetProperty("amount_cents").GetInt64());
        var benBid = await CrossAsync(() => ben.SendAsync("bid", new { lot_id = lot, amount_cents = 1_600 }), ben, ana, "bid_placed", m => m.Payload.GetProperty("amount_cents").GetInt64() == 1_600);
        Assert.Equal("online", benBid.Payload.GetProperty("source").GetString());

        var sold = await CrossAsync(() => _apiA.PostAsync($"/api/sales/{saleId}/auctioneer", _admin, new { action = "sold" }), ana, ben, "lot_sold");
        Assert.Equal(1_600, sold.Payload.GetProperty("price_cents").GetInt64());

        // Both nodes' sockets got the same gap-free log, in order.
        await ana.WaitForSeqAsync(sold.Seq);
        Assert.Equal([opened.Seq, asking.Seq, anaBid.Seq, benBid.Seq, sold.Seq], Enumerable.Range(1, 5).Select(i => (long)i));
        Assert.Equal(Log(ana), Log(ben));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), Log(ana).Select(e => e.Seq));
    }

    // The sale events a socket received (bid_ok carries a seq too, but only its bidder gets it).
    private static (string Type, long Seq)[] Log(SocketClient socket) => [.. socket.Events.Where(e => e.Type != "bid_ok").Select(e => (e.Type, e.Seq))];

    // Runs the action; the event's arrival on the committing node's socket and on the other node's socket
    // must lie within the budget (what is timed is the trip between nodes, not the command's own path).
    private async Task<Message> CrossAsync(Func<Task> act, SocketClient here, SocketClient there, string type, Func<Message, bool>? match = null)
    {
        await act();
        var local = await here.WaitForAsync(type, match, TimeSpan.FromSeconds(10));
        var remote = await there.WaitForAsync(type, match, TimeSpan.FromSeconds(10));
        Assert.Equal(local.Seq, remote.Seq);
        var trip = Stopwatch.GetElapsedTime(local.ReceivedAt, remote.ReceivedAt);
        Assert.True(trip < CrossNodeBudget, $"'{type}' took {trip.TotalMilliseconds:F0} ms longer to reach the other node (budget {CrossNodeBudget.TotalMilliseconds} ms).\n{_cluster.Logs()}");
        return remote;
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>
/// Two real hosts take a bidding war on one auction (each node's writer commits batches; the nodes race
/// through the store's version check); node A is killed with SIGKILL in the middle of it. Afterwards
/// the database holds every acknowledged bid exactly once, a gap-free log, and no half batch.
/// </summary>
[Collection("multi-node")]
public sealed class CrashMidBatchTests : IAsyncLifetime
{
    private Cluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await Cluster.StartAsync(TestRedis.Configuration, new Dictionary<string, string>
    {
        ["RemateLive__RateLimits__BidBurst"] = "100000",
        ["RemateLive__RateLimits__BidsPerSecond"] = "100000",
    });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task KillingANodeMidBatchLosesNoAcknowledgedBidAndLeavesNoHalfBatch()
    {
        using var apiA = new Api(_cluster.A.BaseAddress);
        using var apiB = new Api(_cluster.B.BaseAddress);
        var admin = await apiB.LoginAsync("admin", Cluster.AdminPassword);
        var auction = await apiB.CreateAuctionAsync(admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var bidders = new List<(Uri Node, string Token)>();
        for (var i = 0; i < 32; i++)
        {
            var onA = i % 2 == 0;
            bidders.Add((onA ? _cluster.A.BaseAddress : _cluster.B.BaseAddress, await (onA ? apiA : apiB).LoginAsync($"crash_{i}_{Guid.NewGuid():N}"[..20])));
        }

        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var war = bidders.Select((b, i) => Task.Run(() => BidUntilStoppedAsync(b.Node, b.Token, auction, $"b{i}", acknowledged, stop.Token))).ToList();

        await WaitUntilAsync(() => acknowledged.Count >= 40, TimeSpan.FromSeconds(60));
        _cluster.A.Kill(); // SIGKILL while batches are in flight on both nodes
        var atKill = acknowledged.Count;
        await WaitUntilAsync(() => acknowledged.Count >= atKill + 20, TimeSpan.FromSeconds(60)); // the war goes on on B
        await stop.CancelAsync();
        await Task.WhenAll(war);

        await using var db = new NpgsqlConnection(_cluster.Settings["RemateLive__Postgres__ConnectionString"]);
        await db.OpenAsync();
        var id = Guid.Parse(auction);
        var seqs = await ListAsync<long>(db, "SELECT seq FROM remate.events WHERE auction_id = $1 ORDER BY seq", id);
        var version = await ScalarAsync<long>(db, "SELECT version FROM remate.auctions WHERE id = $1", id);
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(s => (long)s), seqs); // gap-free
        Assert.Equal(seqs.Count, version);                                        // the state matches the log

        // No half batch: every bid event has its bids row and the other way round, and every accepted outcome its bid.
        Assert.Equal(0, await ScalarAsync<long>(db, """
            SELECT count(*) FROM remate.events e FULL JOIN remate.bids b ON b.auction_id = e.auction_id AND b.seq = e.seq
            WHERE coalesce(e.auction_id, b.auction_id) = $1 AND (e.type = 'bid_placed') IS DISTINCT FROM (b.seq IS NOT NULL)
            """, id));
        Assert.Equal(0, await ScalarAsync<long>(db, """
            SELECT count(*) FROM remate.bid_outcomes o LEFT JOIN remate.bids b ON b.auction_id = o.auction_id AND b.seq = o.seq
            WHERE o.auction_id = $1 AND o.seq IS NOT NULL AND b.seq IS NULL
            """, id));

        // Every acknowledged bid is stored exactly once; amounts strictly rise with seq.
        var stored = await ListAsync<string>(db, "SELECT id::text FROM remate.bids WHERE auction_id = $1", id);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.All(acknowledged, bid => Assert.Contains(bid, stored));
        var amounts = await ListAsync<long>(db, "SELECT amount_cents FROM remate.bids WHERE auction_id = $1 ORDER BY seq", id);
        Assert.True(amounts.Zip(amounts.Skip(1)).All(p => p.Second > p.First), "Amounts must strictly rise with seq.");
        Assert.True(acknowledged.Count > atKill, "Node B kept accepting bids after node A died.");
    }

    // One bidder: bid the minimum the last answer gave, with a fresh key per bid; record what was acknowledged (201).
    private static async Task BidUntilStoppedAsync(Uri node, string token, string auction, string name, ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var next = 1_000L;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync($"/api/auctions/{auction}/bids", new { amount_cents = next, idempotency_key = $"{name}-{n}" }, CancellationToken.None);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None)).RootElement;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(body.GetProperty("bid_id").GetString()!);
                    next = body.GetProperty("amount_cents").GetInt64() + 100;
                }
                else if (body.TryGetProperty("min_next_bid_cents", out var min))
                {
                    next = min.GetInt64();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                return; // the node died: nothing was acknowledged for this bid; its bidders stop, the others carry on
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for bids.");
            await Task.Delay(20);
        }
    }

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection db, string sql, Guid id)
    {
        await using var command = new NpgsqlCommand(sql, db) { Parameters = { new() { Value = id } } };
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetFieldValue<T>(0));
        }

        return list;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql, Guid id)
    {
        await using var command = new NpgsqlCommand(sql, db) { Parameters = { new() { Value = id } } };
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

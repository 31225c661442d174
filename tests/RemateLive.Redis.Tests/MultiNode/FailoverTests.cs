namespace RemateLive.Redis.Tests.MultiNode;

[Collection("multi-node")]
public sealed class NodeKillTests : IAsyncLifetime
{
    private Cluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await Cluster.StartAsync(TestRedis.Configuration);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ClientsOfAKilledNodeResumeOnTheOtherWithoutMissingAnything()
    {
        using var apiA = new Api(_cluster.A.BaseAddress);
        using var apiB = new Api(_cluster.B.BaseAddress);
        var admin = await apiB.LoginAsync("admin", Cluster.AdminPassword);
        var auction = await apiB.CreateAuctionAsync(admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var anaToken = await apiA.LoginAsync("ana_kill");
        await using var anaOnA = await SocketClient.JoinAsync(_cluster.A.BaseAddress, auction, "ana_kill", anaToken);
        await using var ben = await SocketClient.JoinAsync(_cluster.B.BaseAddress, auction, "ben_kill", await apiB.LoginAsync("ben_kill"));

        for (var i = 1; i <= 3; i++)
        {
            await ben.BidAsync(900 + (i * 100));
            await ben.WaitForAsync("bid_placed", m => m.Seq == i);
        }

        var beforeKill = await anaOnA.WaitForSeqAsync(3);
        _cluster.A.Kill();
        Assert.True(_cluster.A.HasExited);

        // The auction goes on without node A.
        await ben.BidAsync(1_300);
        await ben.WaitForAsync("bid_placed", m => m.Seq == 4);
        await ben.BidAsync(1_400);
        await ben.WaitForAsync("bid_placed", m => m.Seq == 5);

        var lastSeq = beforeKill.Max(e => e.Seq);
        await using var anaOnB = await SocketClient.JoinAsync(_cluster.B.BaseAddress, auction, "ana_kill", anaToken, lastSeq);
        await anaOnB.WaitForSeqAsync(5);
        Assert.Equal(System.Net.HttpStatusCode.Created, await apiB.BidAsync(await apiB.LoginAsync("carl_kill"), auction, 1_500)); // ben's burst (5) is spent
        await anaOnB.WaitForSeqAsync(6);

        var all = beforeKill.Concat(anaOnB.Events).Select(e => e.Seq).ToList();
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], all);
    }
}

/// <summary>Stops and restarts a real Redis (a private one, so other tests sharing the suite's Redis are unaffected).</summary>
[Collection("multi-node")]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly PrivateRedis _redis = new();
    private Cluster _cluster = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _cluster = await Cluster.StartAsync(_redis.Configuration, new Dictionary<string, string>
        {
            ["RemateLive__Bidding__GapCheckInterval"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _redis.Dispose();
    }

    [Fact]
    public async Task WithoutRedisBidsStillWorkAndTheOtherNodeCatchesUpFromTheStore()
    {
        using var apiA = new Api(_cluster.A.BaseAddress);
        using var apiB = new Api(_cluster.B.BaseAddress);
        var admin = await apiA.LoginAsync("admin", Cluster.AdminPassword);
        var auction = await apiA.CreateAuctionAsync(admin, DateTimeOffset.UtcNow.AddMinutes(10));
        await using var ana = await SocketClient.JoinAsync(_cluster.A.BaseAddress, auction, "ana_out", await apiA.LoginAsync("ana_out"));
        await using var ben = await SocketClient.JoinAsync(_cluster.B.BaseAddress, auction, "ben_out", await apiB.LoginAsync("ben_out"));
        await ana.BidAsync(1_000);
        await ben.WaitForSeqAsync(1);

        _redis.Stop();
        await MultiNodeTests.WaitUntilAsync(() => HealthIs(apiA, "degraded"), "node A to report degraded health");
        var (status, _) = await apiA.HealthAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, status); // degraded, not down

        await ana.BidAsync(1_100);
        Assert.Equal(2, (await ana.WaitForAsync("bid_placed", m => m.Seq == 2)).Seq); // accepted through PostgreSQL, delivered locally
        await ben.WaitForSeqAsync(2, TimeSpan.FromSeconds(15)); // node B polls the store

        await _redis.StartAsync();
        await MultiNodeTests.WaitUntilAsync(() => HealthIs(apiA, "healthy") && HealthIs(apiB, "healthy"), "both nodes to reconnect to Redis", TimeSpan.FromSeconds(30));
        await ana.BidAsync(1_200);
        await ben.WaitForSeqAsync(3);

        Assert.False(_cluster.A.HasExited || _cluster.B.HasExited, _cluster.Logs());
        Assert.Equal([1L, 2L, 3L], ben.Events.Select(e => e.Seq));
        Assert.Equal([1L, 2L, 3L], ana.Events.Select(e => e.Seq));
        Assert.Contains("Redis connection to", _cluster.A.Output);
    }

    private static bool HealthIs(Api api, string status) =>
        api.HealthAsync().GetAwaiter().GetResult().Body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString() == status;
}

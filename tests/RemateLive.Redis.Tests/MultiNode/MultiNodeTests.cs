using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>Shares one two-node cluster between the tests of <see cref="MultiNodeTests"/>.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    internal Cluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await Cluster.StartAsync(TestRedis.Configuration);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition("multi-node", DisableParallelization = true)]
public sealed class MultiNodeCollection;

[Collection("multi-node")]
public sealed class MultiNodeTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private readonly Cluster _cluster = fixture.Cluster;
    private readonly List<IAsyncDisposable> _clients = [];
    private readonly Dictionary<string, string> _tokens = [];
    private Api _apiA = null!;
    private Api _apiB = null!;
    private string _admin = null!;

    public async Task InitializeAsync()
    {
        _apiA = new Api(_cluster.A.BaseAddress);
        _apiB = new Api(_cluster.B.BaseAddress);
        _admin = await _apiA.LoginAsync("admin", Cluster.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients)
        {
            await c.DisposeAsync();
        }

        _apiA.Dispose();
        _apiB.Dispose();
    }

    [Fact]
    public async Task ATokenIssuedByOneNodeIsAcceptedByTheOtherThoughEachHasItsOwnHome()
    {
        // The nodes share nothing on disk, as two containers: only Redis can carry the key ring.
        Assert.NotEqual(_cluster.A.Home.FullName, _cluster.B.Home.FullName);
        var auction = await _apiA.CreateAuctionAsync(_admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var user = Unique("tok");
        var token = await _apiA.LoginAsync(user);

        Assert.Equal(HttpStatusCode.Created, await _apiB.BidAsync(token, auction, 1_000));
        await using var socket = await SocketClient.JoinAsync(_cluster.B.BaseAddress, auction, user, token);
        Assert.Equal("auth_ok", socket.AuthOk!.Type);
        Assert.Equal(user, socket.AuthOk.Payload.GetProperty("username").GetString());
        Assert.All([_cluster.A, _cluster.B], n =>
        {
            Assert.Contains("shared through Redis under application name RemateLive", n.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(n.Home.FullName, ".aspnet", "DataProtection-Keys")), $"node {n.Name} wrote a local key ring");
        });
    }

    [Fact]
    public async Task ABidOnNodeAReachesAClientOnNodeBWithTheSameSeq()
    {
        var auction = await _apiA.CreateAuctionAsync(_admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var ana = await JoinAsync(_cluster.A, auction, Unique("ana"), _apiA);
        var ben = await JoinAsync(_cluster.B, auction, Unique("ben"), _apiB);

        await ana.BidAsync(1_000);
        var mine = await ana.WaitForAsync("bid_placed");
        var theirs = await ben.WaitForAsync("bid_placed", timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(1, mine.Seq);
        Assert.Equal(mine.Seq, theirs.Seq);
        Assert.Equal(mine.Payload.GetProperty("bid_id").GetString(), theirs.Payload.GetProperty("bid_id").GetString());
        Assert.Equal(1_000, theirs.Payload.GetProperty("amount_cents").GetInt64());
    }

    [Fact]
    public async Task SignalRAndWebSocketClientsOnDifferentNodesSeeTheSameSequence()
    {
        var auction = await _apiA.CreateAuctionAsync(_admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var socketUser = Unique("sock");
        var socket = await JoinAsync(_cluster.A, auction, socketUser, _apiA);
        var hubUser = Unique("hub");
        var hubToken = await _apiB.LoginAsync(hubUser);
        var hubSeen = new List<(long Seq, string BidId)>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_cluster.B.BaseAddress, "/hubs/auctions"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(hubToken))
            .Build();
        hub.On<JsonElement>("bid_placed", p =>
        {
            lock (hubSeen)
            {
                hubSeen.Add((p.GetProperty("seq").GetInt64(), p.GetProperty("bid_id").GetString()!));
            }
        });
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement>("JoinAuction", auction, (long?)0);

        // Alternate: a socket bid on node A, a hub bid on node B.
        for (var i = 0; i < 4; i++)
        {
            var amount = 1_000 + (i * 100);
            if (i % 2 == 0)
            {
                await socket.BidAsync(amount);
                await socket.WaitForAsync("bid_placed", m => m.Seq == i + 1);
            }
            else
            {
                await hub.InvokeAsync<JsonElement>("PlaceBid", auction, JsonSerializer.SerializeToElement(new { amount_cents = amount }));
                await socket.WaitForAsync("bid_placed", m => m.Seq == i + 1, TimeSpan.FromSeconds(10));
            }
        }

        await WaitUntilAsync(() => { lock (hubSeen) { return hubSeen.Count >= 4; } }, "the hub client to see 4 bids");
        var socketSeen = socket.Events.Where(m => m.Type == "bid_placed").Select(m => (m.Seq, m.Payload.GetProperty("bid_id").GetString()!)).ToList();
        Assert.Equal([1L, 2L, 3L, 4L], socketSeen.Select(s => s.Seq));
        lock (hubSeen)
        {
            Assert.Equal(socketSeen, hubSeen);
        }
    }

    [Fact]
    public async Task PresenceCountsUsersOnBothNodes()
    {
        var auction = await _apiA.CreateAuctionAsync(_admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var ana = await JoinAsync(_cluster.A, auction, Unique("ana"), _apiA);
        Assert.Equal(1, ana.AuthOk!.Payload.GetProperty("online_count").GetInt64());

        var benName = Unique("ben");
        var ben = await JoinAsync(_cluster.B, auction, benName, _apiB);
        Assert.Equal(2, ben.AuthOk!.Payload.GetProperty("online_count").GetInt64());
        var joined = await ana.WaitForAsync("user_joined", m => m.Payload.GetProperty("username").GetString() == benName, TimeSpan.FromSeconds(10));
        Assert.Equal(2, joined.Payload.GetProperty("online_count").GetInt64());

        // A second tab of ben on node A: still two users.
        var benAgain = await JoinAsync(_cluster.A, auction, benName, _apiA);
        Assert.Equal(2, benAgain.AuthOk!.Payload.GetProperty("online_count").GetInt64());

        await ben.DisposeAsync();
        await benAgain.DisposeAsync();
        var left = await ana.WaitForAsync("user_left", m => m.Payload.GetProperty("username").GetString() == benName, TimeSpan.FromSeconds(10));
        Assert.Equal(1, left.Payload.GetProperty("online_count").GetInt64());
    }

    [Fact]
    public async Task TheBidRateLimitHoldsAcrossNodes()
    {
        var auction = await _apiA.CreateAuctionAsync(_admin, DateTimeOffset.UtcNow.AddMinutes(10));
        var user = Unique("fast");
        var token = await _apiA.LoginAsync(user);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            statuses.Add(await (i % 2 == 0 ? _apiA : _apiB).BidAsync(token, auction, 1_000 + (i * 100)));
        }

        // Burst 5, refill 0.01/s: exactly five bids pass in total, whichever node takes them.
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task TheAuctionClosesExactlyOnceWithBothClosersRunning()
    {
        var auction = await _apiA.CreateAuctionAsync(_admin, DateTimeOffset.UtcNow.AddSeconds(5));
        var ana = await JoinAsync(_cluster.A, auction, Unique("ana"), _apiA);
        var ben = await JoinAsync(_cluster.B, auction, Unique("ben"), _apiB);

        var closedA = await ana.WaitForAsync("auction_closed", timeout: TimeSpan.FromSeconds(20));
        var closedB = await ben.WaitForAsync("auction_closed", timeout: TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(3)); // several more closer ticks on both nodes

        Assert.Equal(1, closedA.Seq);
        Assert.Equal(closedA.Seq, closedB.Seq);
        var events = await _apiB.GetAsync($"/api/auctions/{auction}/events?after_seq=0");
        Assert.Equal(["auction_closed"], events.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Single(ana.Seen, m => m.Type == "auction_closed");
        Assert.Single(ben.Seen, m => m.Type == "auction_closed");
    }

    private async Task<SocketClient> JoinAsync(SampleHost node, string auction, string user, Api api, long lastSeq = 0)
    {
        if (!_tokens.TryGetValue(user, out var token))
        {
            _tokens[user] = token = await api.LoginAsync(user);
        }

        var client = await SocketClient.JoinAsync(node.BaseAddress, auction, user, token, lastSeq);
        _clients.Add(client);
        return client;
    }

    internal static string Unique(string name) => $"{name}{Guid.NewGuid():N}"[..20];

    internal static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}

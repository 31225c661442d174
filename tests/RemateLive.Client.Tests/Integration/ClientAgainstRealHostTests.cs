namespace RemateLive.Client.Tests.Integration;

public sealed class HostFixture : IAsyncLifetime
{
    internal SampleHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SampleHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>
/// RemateLive.Client against the real sample host (a process on PostgreSQL) over real sockets; the network in
/// between is a TCP forwarder the tests cut. The server's side of each comparison is its REST API.
/// </summary>
public sealed class ClientAgainstRealHostTests(HostFixture fixture) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private readonly SampleHost _host = fixture.Host;
    private readonly List<IAsyncDisposable> _owned = [];
    private TcpProxy _proxy = null!;
    private Rest _rest = null!;

    public Task InitializeAsync()
    {
        _proxy = new TcpProxy(_host.Port);
        _rest = new Rest(() => _host.BaseAddress);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        await _proxy.DisposeAsync();
        _rest.Dispose();
    }

    [Fact]
    public async Task ASocketDroppedMidStreamResumesWithEveryEventOnceInOrder()
    {
        var auction = await _rest.CreateAuctionAsync();
        var (watcher, seen) = await ConnectAsync(auction, "watch", viaProxy: true);
        var (bidder, _) = await ConnectAsync(auction, "bid", viaProxy: false);

        var bidding = Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                var r = await bidder.PlaceBidAsync(1_000 + (i * 100));
                Assert.True(r.Accepted, r.ErrorCode);
            }
        });
        await seen.WaitForAsync(s => s.OfType<BidPlaced>().Count() >= 4, "4 bids before the drop");
        _proxy.Refusing = true;
        _proxy.DropAll();
        await seen.WaitForAsync(s => s.OfType<Disconnected>().Any(), "the drop to be noticed");
        await Task.Delay(300);
        _proxy.Refusing = false;
        await bidding;

        await seen.WaitForAsync(s => s.OfType<BidPlaced>().Count() >= 12, "all 12 bids after the resume");
        var store = await _rest.EventsAsync(auction);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), store.Select(e => e.Seq));
        Assert.Equal(store.Select(e => e.Seq), seen.Seqs());
        Assert.Contains(seen.Snapshot(), e => e is Connected { Resumed: true });
        Assert.Equal(12, watcher.LastSeq);
    }

    [Fact]
    public async Task ABidPlacedWhileDisconnectedLandsExactlyOnce()
    {
        var auction = await _rest.CreateAuctionAsync();
        var (bidder, seen) = await ConnectAsync(auction, "offline", viaProxy: true);
        Assert.True((await bidder.PlaceBidAsync(1_000)).Accepted);

        _proxy.Refusing = true;
        _proxy.DropAll();
        await seen.WaitForAsync(s => s.OfType<Disconnected>().Any(), "the drop to be noticed");
        var offline = bidder.PlaceBidAsync(1_100, idempotencyKey: "offline-1");
        await Task.Delay(1_000);
        Assert.False(offline.IsCompleted, "no outcome can exist while the server is unreachable");
        _proxy.Refusing = false;
        var result = await offline.WaitAsync(TimeSpan.FromSeconds(30));

        // A bid whose answer is cut off: the client re-sends the same key after reconnecting.
        var cut = bidder.PlaceBidAsync(1_200, idempotencyKey: "cut-1");
        _proxy.DropAll();
        var cutResult = await cut.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Accepted, result.ErrorCode);
        Assert.True(cutResult.Accepted, cutResult.ErrorCode);
        Assert.Equal("offline-1", result.IdempotencyKey);
        Assert.Equal([1_200L, 1_100L, 1_000L], await _rest.BidAmountsAsync(auction));
        await seen.WaitForAsync(s => s.OfType<BidPlaced>().Count() >= 3, "the three bids");
        Assert.Equal([1L, 2L, 3L], seen.Seqs());
        Assert.True(seen.Snapshot().OfType<BidPlaced>().All(b => b.Yours));
    }

    [Fact]
    public async Task AfterAHostRestartTheClientCatchesUpAndItsPendingBidLandsOnce()
    {
        var auction = await _rest.CreateAuctionAsync();
        var (watcher, watched) = await ConnectAsync(auction, "rwatch", viaProxy: true);
        var (bidder, _) = await ConnectAsync(auction, "rbid", viaProxy: true);
        Assert.True((await bidder.PlaceBidAsync(1_000)).Accepted);
        Assert.True((await bidder.PlaceBidAsync(1_100)).Accepted);
        await watched.WaitForAsync(s => s.OfType<BidPlaced>().Count() >= 2, "2 bids");

        Task<BidResult>? pending = null;
        await _host.RestartAsync(whileDown: async () =>
        {
            await watched.WaitForAsync(s => s.OfType<Disconnected>().Any(), "the kill to be noticed");
            pending = bidder.PlaceBidAsync(1_200, idempotencyKey: "during-restart");
            await Task.Delay(500);
            Assert.False(pending.IsCompleted);
        });
        _proxy.Upstream = _host.Port;

        var result = await pending!.WaitAsync(TimeSpan.FromSeconds(45));
        Assert.True(result.Accepted, result.ErrorCode);
        Assert.True((await bidder.PlaceBidAsync(1_300)).Accepted);
        await watched.WaitForAsync(s => s.OfType<BidPlaced>().Count() >= 4, "4 bids after the restart", seconds: 45);

        var store = await _rest.EventsAsync(auction);
        Assert.Equal([1L, 2L, 3L, 4L], store.Select(e => e.Seq));
        Assert.Equal(store.Select(e => e.Seq), watched.Seqs());
        Assert.Equal([1_300L, 1_200L, 1_100L, 1_000L], await _rest.BidAmountsAsync(auction));
        Assert.Contains(watched.Snapshot(), e => e is Connected { Resumed: true });
        Assert.Equal(4, watcher.LastSeq);
    }

    [Fact]
    public async Task TheGapFillReadsTheStoresEventsAsTypedEvents()
    {
        var auction = await _rest.CreateAuctionAsync();
        var (bidder, _) = await ConnectAsync(auction, "gap", viaProxy: true);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await bidder.PlaceBidAsync(1_000 + (i * 100))).Accepted);
        }

        var all = await bidder.FetchEventsAsync(0, 3, CancellationToken.None);
        var tail = await bidder.FetchEventsAsync(1, 2, CancellationToken.None);

        Assert.Equal([1L, 2L, 3L], all.Select(e => e.Seq));
        Assert.Equal([1_000L, 1_100L, 1_200L], all.Cast<BidPlaced>().Select(b => b.AmountCents));
        Assert.Equal([2L], tail.Select(e => e.Seq));
    }

    [Fact]
    public async Task OneKeyIsOneBidHoweverOftenItIsPlaced()
    {
        var auction = await _rest.CreateAuctionAsync();
        var (bidder, _) = await ConnectAsync(auction, "twice", viaProxy: false);

        var results = await Task.WhenAll(bidder.PlaceBidAsync(1_000, idempotencyKey: "same"), bidder.PlaceBidAsync(1_000, idempotencyKey: "same"));
        var again = await bidder.PlaceBidAsync(1_000, idempotencyKey: "same");

        Assert.All(results.Append(again), r => Assert.True(r.Accepted));
        Assert.Single(results.Append(again).Select(r => r.Bid!.BidId).Distinct());
        Assert.Equal([1_000L], await _rest.BidAmountsAsync(auction));
        Assert.Equal(1_100, bidder.MinNextBidCents);
    }

    [Fact]
    public async Task ARefusedBidHasItsCodeAndTheServerClockIsKnown()
    {
        var auction = await _rest.CreateAuctionAsync();
        // The client's clock runs an hour fast: only a measured offset brings ServerNow back to the server's time.
        var skew = TimeSpan.FromHours(1);
        var (bidder, _) = await ConnectAsync(auction, "low", viaProxy: false, clock: new SkewedClock(skew));

        var low = await bidder.PlaceBidAsync(500);

        Assert.False(low.Accepted);
        Assert.Equal("BID_TOO_LOW", low.ErrorCode);
        Assert.Equal(1_000, low.MinNextBidCents);
        Assert.InRange((bidder.ClockOffset + skew).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1)); // same machine, skewed client
        Assert.InRange((bidder.ServerNow - DateTimeOffset.UtcNow).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(auction, bidder.Auction!.Id);
        Assert.False(string.IsNullOrEmpty(bidder.Token));
    }

    [Fact]
    public async Task ATakenUsernameAndAnUnknownAuctionFailClearly()
    {
        var auction = await _rest.CreateAuctionAsync();

        var taken = await Assert.ThrowsAsync<RemateLiveClientException>(() => RemateLiveClient.ConnectAsync(new() { BaseAddress = _host.BaseAddress, Username = "admin" }, auction));
        var missing = await Assert.ThrowsAsync<RemateLiveClientException>(() => RemateLiveClient.ConnectAsync(new() { BaseAddress = _host.BaseAddress, Username = Unique("nf") }, Guid.NewGuid().ToString()));

        Assert.Equal("USERNAME_TAKEN", taken.Code);
        Assert.Equal("NOT_FOUND", missing.Code);
    }

    private async Task<(RemateLiveClient Client, EventLog Events)> ConnectAsync(string auction, string user, bool viaProxy, TimeProvider? clock = null)
    {
        var client = await RemateLiveClient.ConnectAsync(
            new RemateLiveClientOptions
            {
                BaseAddress = viaProxy ? _proxy.BaseAddress : _host.BaseAddress,
                Username = Unique(user),
                ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
                TimeProvider = clock ?? TimeProvider.System,
            },
            auction);
        var log = new EventLog(client);
        _owned.Add(client);
        _owned.Add(log);
        return (client, log);
    }

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..20];

    // Wall-clock time off by a fixed skew; timers and timestamps stay real.
    private sealed class SkewedClock(TimeSpan skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
    }
}

using RemateLive.Domain;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IWatchlistStore"/> must honour: an auction is watched once per user,
/// lists are per user and newest first, the bound holds, unwatching is exact. The auctions are created in
/// the matching <see cref="IAuctionStore"/> (a database may reference them). Implement
/// <see cref="CreateStoresAsync"/>; tests use fresh users and auctions, so the stores may hold other data.
/// </summary>
public abstract class WatchlistStoreComplianceTests : IAsyncLifetime
{
    private (IWatchlistStore Watchlist, IAuctionStore Auctions)? _stores;

    /// <summary>The watchlist store under test.</summary>
    protected IWatchlistStore Store => _stores?.Watchlist ?? throw new InvalidOperationException("InitializeAsync has not run.");

    private IAuctionStore Auctions => _stores?.Auctions ?? throw new InvalidOperationException("InitializeAsync has not run.");

    private static DateTimeOffset Now { get; } = ComplianceAuctions.Truncate(DateTimeOffset.UtcNow);

    /// <summary>Creates the watchlist store under test and the auction store its auctions live in.</summary>
    protected abstract Task<(IWatchlistStore Watchlist, IAuctionStore Auctions)> CreateStoresAsync();

    /// <summary>Creates the stores; override to add per-test set-up (call the base).</summary>
    public virtual async Task InitializeAsync() => _stores = await CreateStoresAsync();

    /// <summary>Disposes the stores when they are disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_stores is { } s)
        {
            await Subjects.DisposeAsync(s.Watchlist);
            await Subjects.DisposeAsync(s.Auctions);
        }
    }

    /// <summary>Watching twice changes nothing; lists are per user, newest first; unwatching is exact.</summary>
    [Fact]
    public async Task WatchOncePerUserNewestFirstAndUnwatch()
    {
        var ana = UserId.New();
        var bea = UserId.New();
        var first = await NewAuctionAsync();
        var second = await NewAuctionAsync();

        Assert.Equal(WatchResult.Added, await Store.WatchAsync(ana, first, 10, Now.AddMinutes(-2)));
        Assert.Equal(WatchResult.Added, await Store.WatchAsync(ana, second, 10, Now.AddMinutes(-1)));
        Assert.Equal(WatchResult.AlreadyWatched, await Store.WatchAsync(ana, first, 10, Now));
        Assert.Equal(WatchResult.Added, await Store.WatchAsync(bea, first, 10, Now));

        Assert.Equal([second, first], await Store.ListAsync(ana));
        Assert.Equal([first], await Store.ListAsync(bea));
        Assert.Empty(await Store.ListAsync(UserId.New()));

        Assert.True(await Store.UnwatchAsync(ana, first));
        Assert.False(await Store.UnwatchAsync(ana, first));
        Assert.Equal([second], await Store.ListAsync(ana));
        Assert.Equal([first], await Store.ListAsync(bea));
    }

    /// <summary>A full list refuses more (and still says "already watched" for what it holds).</summary>
    [Fact]
    public async Task AFullListRefusesMore()
    {
        var ana = UserId.New();
        var auctions = new List<AuctionId>();
        for (var i = 0; i < 4; i++)
        {
            auctions.Add(await NewAuctionAsync());
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(WatchResult.Added, await Store.WatchAsync(ana, auctions[i], 3, Now.AddSeconds(i)));
        }

        Assert.Equal(WatchResult.Full, await Store.WatchAsync(ana, auctions[3], 3, Now));
        Assert.Equal(WatchResult.AlreadyWatched, await Store.WatchAsync(ana, auctions[0], 3, Now));
        Assert.Equal(3, (await Store.ListAsync(ana)).Count);
        Assert.True(await Store.UnwatchAsync(ana, auctions[0]));
        Assert.Equal(WatchResult.Added, await Store.WatchAsync(ana, auctions[3], 3, Now.AddSeconds(9)));
        Assert.Equal(auctions[3], (await Store.ListAsync(ana))[0]);
    }

    private async Task<AuctionId> NewAuctionAsync()
    {
        var auction = ComplianceAuctions.Open(Now);
        await Auctions.CreateAuctionAsync(auction);
        return auction.Id;
    }
}

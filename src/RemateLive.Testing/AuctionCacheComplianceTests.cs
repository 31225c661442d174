using RemateLive.Domain;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IAuctionCache"/> must honour: what is set is read back, and an older
/// version never replaces a newer one (also when writers race). Implement <see cref="CreateCacheAsync"/>;
/// tests use fresh auction ids, so the cache may hold other entries.
/// </summary>
public abstract class AuctionCacheComplianceTests : IAsyncLifetime
{
    private IAuctionCache? _cache;

    /// <summary>The cache under test (created by <see cref="InitializeAsync"/>).</summary>
    protected IAuctionCache Cache => _cache ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the cache under test.</summary>
    protected abstract Task<IAuctionCache> CreateCacheAsync();

    /// <summary>Creates the cache; override to add per-test set-up (call the base).</summary>
    public virtual async Task InitializeAsync() => _cache = await CreateCacheAsync();

    /// <summary>Disposes the cache when it is disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        await Subjects.DisposeAsync(_cache);
    }

    /// <summary>An unknown auction is a miss; a set snapshot reads back equal.</summary>
    [Fact]
    public async Task SetThenGetReturnsTheSnapshot()
    {
        var id = AuctionId.New();
        Assert.Null(await Cache.GetAsync(id));

        var snapshot = Snapshot(id, 3) with { BuyNowPriceCents = 9_000 };
        await Cache.SetAsync(snapshot);

        Assert.Equal(snapshot, await Cache.GetAsync(id));
        Assert.Null(await Cache.GetAsync(AuctionId.New()));
    }

    /// <summary>A newer version replaces; an older or equal one never does.</summary>
    [Fact]
    public async Task OlderVersionNeverOverwritesNewer()
    {
        var id = AuctionId.New();
        await Cache.SetAsync(Snapshot(id, 5));
        await Cache.SetAsync(Snapshot(id, 4) with { CurrentPriceCents = 1 });
        Assert.Equal(Snapshot(id, 5), await Cache.GetAsync(id));

        var closed = Snapshot(id, 6) with { Status = AuctionStatus.Closed };
        await Cache.SetAsync(closed);
        Assert.Equal(closed, await Cache.GetAsync(id));
    }

    /// <summary>Racing writers of versions 1..N leave version N.</summary>
    [Fact]
    public async Task RacingWritersLeaveTheNewestVersion()
    {
        var id = AuctionId.New();
        var versions = Enumerable.Range(1, 200).OrderBy(v => (v * 7919) % 211).ToList();

        await Task.WhenAll(versions.Select(v => Task.Run(async () => await Cache.SetAsync(Snapshot(id, v)))));

        Assert.Equal(Snapshot(id, 200), await Cache.GetAsync(id));
    }

    private static AuctionSnapshot Snapshot(AuctionId id, long version) => new(
        id,
        AuctionStatus.Open,
        1_000 + (version * 100),
        1_100 + (version * 100),
        null,
        version,
        new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
}

using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

/// <summary>The watchlist compliance kit against the in-memory adapter.</summary>
public sealed class InMemoryWatchlistStoreComplianceTests : WatchlistStoreComplianceTests
{
    protected override Task<(IWatchlistStore Watchlist, IAuctionStore Auctions)> CreateStoresAsync() =>
        Task.FromResult<(IWatchlistStore, IAuctionStore)>((new InMemoryWatchlistStore(), new InMemoryAuctionStore(TimeProvider.System)));
}

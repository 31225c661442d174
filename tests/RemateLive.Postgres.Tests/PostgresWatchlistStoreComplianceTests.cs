using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Postgres.Tests;

/// <summary>The watchlist compliance kit against PostgreSQL, in a schema of its own.</summary>
public sealed class PostgresWatchlistStoreComplianceTests(SchemaFixture db) : WatchlistStoreComplianceTests, IClassFixture<SchemaFixture>
{
    protected override Task<(IWatchlistStore Watchlist, IAuctionStore Auctions)> CreateStoresAsync() =>
        Task.FromResult<(IWatchlistStore, IAuctionStore)>((db.CreateWatchlistStore(), db.CreateStore()));
}

using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Postgres.Tests;

/// <summary>The storage compliance kit against PostgreSQL, in a schema of its own.</summary>
public sealed class PostgresAuctionStoreComplianceTests(SchemaFixture db) : AuctionStoreComplianceTests, IClassFixture<SchemaFixture>
{
    protected override int ConcurrentBidCount => 500;

    protected override Task<IAuctionStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IAuctionStore>(db.CreateStore());
}

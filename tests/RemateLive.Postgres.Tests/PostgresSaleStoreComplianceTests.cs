using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Postgres.Tests;

/// <summary>The sale compliance kit against PostgreSQL, in a schema of its own; a restart opens a new data source and store.</summary>
public sealed class PostgresSaleStoreComplianceTests(SchemaFixture db) : SaleStoreComplianceTests, IClassFixture<SchemaFixture>
{
    private readonly List<IAsyncDisposable> _reopened = [];

    protected override Task<ISaleStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<ISaleStore>(PostgresSaleStore.Create(db.DataSource, db.Options));

    protected override async Task<ISaleStore> ReopenStoreAsync(ISaleStore store)
    {
        var dataSource = await TestDatabase.OpenAsync(maxPoolSize: 10);
        _reopened.Add(dataSource);
        return PostgresSaleStore.Create(dataSource, db.Options);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var d in _reopened)
        {
            await d.DisposeAsync();
        }
    }
}

using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Postgres.Tests;

/// <summary>The user-store compliance kit against PostgreSQL, in a schema of its own.</summary>
public sealed class PostgresUserStoreComplianceTests(SchemaFixture db) : UserStoreComplianceTests, IClassFixture<SchemaFixture>
{
    protected override Task<IUserStore> CreateStoreAsync() => Task.FromResult<IUserStore>(db.CreateUserStore());
}

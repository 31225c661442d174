using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RemateLive.Postgres;

namespace RemateLive.Postgres.Tests;

/// <summary>Pool sizes: code, then the connection string (any spelling), then defaults that let 4 nodes fit max_connections=100.</summary>
public sealed class PoolSizeTests
{
    private const string Server = "Host=127.0.0.1;Port=1;Username=u;Database=d";

    [Theory]
    [InlineData(";Maximum Pool Size=7;Minimum Pool Size=1", 1, 7)]
    [InlineData(";maximum pool size=9", 2, 9)]
    [InlineData(";MaxPoolSize=1", 1, 1)]
    [InlineData(";Minimum Pool Size=5", 5, PostgresStoreOptions.DefaultMaxPoolSize)]
    [InlineData("", PostgresStoreOptions.DefaultMinPoolSize, PostgresStoreOptions.DefaultMaxPoolSize)]
    public async Task TheConnectionStringsPoolSizesAreKept(string pool, int min, int max)
    {
        var built = await PoolOfAsync(Server + pool, _ => { });

        Assert.Equal((min, max), (built.MinPoolSize, built.MaxPoolSize));
    }

    [Fact]
    public async Task SizesSetInCodeWinOverTheConnectionString()
    {
        var built = await PoolOfAsync(Server + ";Maximum Pool Size=7;Minimum Pool Size=1", o =>
        {
            o.MinPoolSize = 3;
            o.MaxPoolSize = 12;
        });

        Assert.Equal((3, 12), (built.MinPoolSize, built.MaxPoolSize));
    }

    [Fact]
    public async Task AMinimumAboveTheMaximumFailsClearly()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PoolOfAsync(Server + ";Minimum Pool Size=10", o => o.MaxPoolSize = 5));

        Assert.Contains("minimum (10) exceeds its maximum (5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FourNodesWithTheDefaultsFitPostgresDefaultMaxConnections() =>
        Assert.True((4 * PostgresStoreOptions.DefaultMaxPoolSize) + 3 + 10 <= 100, "4 nodes + 3 superuser slots + 10 for tools must fit max_connections=100");

    private static async Task<NpgsqlConnectionStringBuilder> PoolOfAsync(string connectionString, Action<PostgresStoreOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemateLiveCore().UsePostgres(connectionString, configure);
        await using var provider = services.BuildServiceProvider();
        var dataSource = provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStoreOptions.DataSourceKey);
        return new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
    }
}

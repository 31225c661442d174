using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.UseCases;

namespace RemateLive.Worker.Tests;

/// <summary>
/// The worker sample on a real PostgreSQL (scripts/test-env.sh): a web node (its own container, no bus
/// shared with the worker: PostgreSQL only) runs the auctions; the worker records exactly one settlement
/// per auction won, none for an auction closed without a winner, and none twice across a restart.
/// </summary>
public sealed class SettlementWorkerTests : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("REMATE_TEST_POSTGRES") is { Length: > 0 } pg
            ? pg
            : throw new InvalidOperationException("REMATE_TEST_POSTGRES is not set: run the tests through scripts/test-env.sh (it starts a throwaway PostgreSQL).");
        var database = $"remate_worker_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_auction_won_elsewhere_is_settled_once_even_after_a_restart_and_one_without_winner_never()
    {
        await using var web = await StartWebNodeAsync();
        var won = await CreateAuctionAsync(web);
        var bidder = UserId.New();
        Assert.True((await web.GetRequiredService<PlaceBid>().ExecuteAsync(new PlaceBidCommand(won, bidder, "Ana", 1_500))).Accepted);
        Assert.Null((await web.GetRequiredService<CloseAuction>().ExecuteAsync(won, CloseReason.Admin)).Error);
        var unsold = await CreateAuctionAsync(web);
        Assert.Null((await web.GetRequiredService<CloseAuction>().ExecuteAsync(unsold, CloseReason.Admin)).Error);

        using (var worker = await StartWorkerAsync())
        {
            await WaitUntilAsync(async () => await CountAsync(won) == 1, "the won auction's settlement");
            Assert.Equal(0, await Worker(worker).ReconcileAsync(CancellationToken.None)); // a second pass adds nothing
            await worker.StopAsync();
        }

        using (var restarted = await StartWorkerAsync())
        {
            Assert.Equal(0, await Worker(restarted).ReconcileAsync(CancellationToken.None));
            await restarted.StopAsync();
        }

        Assert.Equal(1, await CountAsync(won));
        Assert.Equal(0, await CountAsync(unsold));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var row = new NpgsqlCommand("SELECT winner_id, winner_name, amount_cents, currency FROM settlement.settlements WHERE auction_id = $1", connection) { Parameters = { new() { Value = won.Value } } };
        await using var reader = await row.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(bidder.Value, reader.GetGuid(0));
        Assert.Equal("Ana", reader.GetString(1));
        Assert.Equal(1_500, reader.GetInt64(2));
        Assert.Equal("EUR", reader.GetString(3));
    }

    [Fact]
    public async Task A_close_committed_by_the_worker_itself_is_settled_from_the_bus_at_once()
    {
        // Reconcile only every hour: a settlement within seconds came from the bus.
        using var worker = await StartWorkerAsync(reconcileInterval: TimeSpan.FromHours(1));
        var services = worker.Services;
        var won = await CreateAuctionAsync(services);
        Assert.True((await services.GetRequiredService<PlaceBid>().ExecuteAsync(new PlaceBidCommand(won, UserId.New(), "Bea", 2_000))).Accepted);
        Assert.Null((await services.GetRequiredService<CloseAuction>().ExecuteAsync(won, CloseReason.Admin)).Error);

        await WaitUntilAsync(async () => await CountAsync(won) == 1, "the settlement from the bus");
        await worker.StopAsync();
    }

    private async Task<IHost> StartWorkerAsync(TimeSpan? reconcileInterval = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration["RemateLive:Postgres:ConnectionString"] = _connectionString;
        builder.Configuration["Settlement:ReconcileInterval"] = (reconcileInterval ?? TimeSpan.FromMilliseconds(200)).ToString();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddSettlementWorker();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static SettlementWorker Worker(IHost host) => host.Services.GetServices<IHostedService>().OfType<SettlementWorker>().Single();

    // A web node's core on the same database (its own container, writers and in-memory bus).
    private async Task<ServiceProvider> StartWebNodeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemateLiveCore().UsePostgres(_connectionString).ApplyMigrationsOnStartup();
        var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return provider;
    }

    private static async Task<AuctionId> CreateAuctionAsync(IServiceProvider services)
    {
        var result = await services.GetRequiredService<CreateAuction>().ExecuteAsync(new CreateAuctionCommand
        {
            Title = "Lot",
            Currency = "EUR",
            StartingPriceCents = 1_000,
            Increment = IncrementRule.Fixed(100),
            StartsAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            EndsAt = DateTimeOffset.UtcNow.AddDays(1),
            SellerId = UserId.New(),
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return result.Auction!.Id;
    }

    private async Task<long> CountAsync(AuctionId auctionId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM settlement.settlements WHERE auction_id = $1", connection) { Parameters = { new() { Value = auctionId.Value } } };
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the worker has not created its table yet
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}

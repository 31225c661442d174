using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.Testing;
using RemateLive.UseCases;

namespace RemateLive.Postgres.Tests;

/// <summary>
/// Acknowledged bids survive restarts of the store's objects and of PostgreSQL; while PostgreSQL is down
/// bids fail with exceptions (never a false acknowledgement), health says so, and the node recovers by itself.
/// </summary>
public sealed class DurabilityAndOutageTests(OwnPostgresServer server) : IClassFixture<OwnPostgresServer>
{
    [Fact]
    public async Task AcknowledgedBidsSurviveAStoreRestartAndAPostgresRestart()
    {
        var acknowledged = new List<Bid>();
        AuctionState auction;
        await using (var node = BuildNode())
        {
            var store = node.GetRequiredService<IAuctionStore>();
            auction = ComplianceAuctions.Open(DateTimeOffset.UtcNow);
            await store.CreateAuctionAsync(auction);
            var placeBid = node.GetRequiredService<PlaceBid>();
            for (var i = 0; i < 40; i++)
            {
                var outcome = await placeBid.ExecuteAsync(new PlaceBidCommand(auction.Id, UserId.New(), $"b{i}", 1_000 + (i * 100), IdempotencyKey: $"k{i}"));
                Assert.True(outcome.Accepted, outcome.Error?.Message);
                acknowledged.Add(outcome.Placed!.Bid);
            }
        }

        await AssertAllStoredAsync(auction.Id, acknowledged);
        await server.StopAsync("fast");
        await server.StartAsync();
        await AssertAllStoredAsync(auction.Id, acknowledged);

        // A crash (immediate stop) too: commits are durable once acknowledged (fsync and synchronous_commit on).
        await server.StopAsync("immediate");
        await server.StartAsync();
        await AssertAllStoredAsync(auction.Id, acknowledged);
    }

    [Fact]
    public async Task WhilePostgresIsDownBidsFailAndHealthIsUnhealthyThenTheNodeRecoversByItself()
    {
        await using var node = BuildNode();
        var store = node.GetRequiredService<IAuctionStore>();
        var placeBid = node.GetRequiredService<PlaceBid>();
        var health = node.GetRequiredService<HealthCheckService>();
        var auction = ComplianceAuctions.Open(DateTimeOffset.UtcNow);
        await store.CreateAuctionAsync(auction);
        Assert.True((await placeBid.ExecuteAsync(new(auction.Id, UserId.New(), "before", 1_000))).Accepted);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Tags.Contains("required"))).Status);

        await server.StopAsync("immediate");
        var bidder = UserId.New();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => placeBid.ExecuteAsync(new(auction.Id, bidder, "during", 5_000)));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => placeBid.ExecuteAsync(new(auction.Id, bidder, "during", 5_000)));
        var down = await health.CheckHealthAsync(r => r.Tags.Contains("required"));
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Contains("postgres", down.Entries.Keys);

        await server.StartAsync();
        BidOutcome? after = null;
        for (var attempt = 0; attempt < 20 && after is null; attempt++)
        {
            try
            {
                after = await placeBid.ExecuteAsync(new(auction.Id, UserId.New(), "after", 2_000));
            }
            catch (NpgsqlException)
            {
                // Pooled connections from before the restart are broken; Npgsql drops them as they fail.
                await Task.Delay(100);
            }
        }

        Assert.NotNull(after);
        Assert.True(after.Accepted, after.Error?.Message);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(r => r.Tags.Contains("required"))).Status);

        // Nothing from the outage was stored: the bids are "before" and "after" only.
        var bids = await store.GetBidsAsync(auction.Id, null, 10);
        Assert.Equal(["after", "before"], bids.Select(b => b.BidderName));
        Assert.DoesNotContain(bids, b => b.BidderId == bidder);
    }

    private async Task AssertAllStoredAsync(AuctionId auctionId, List<Bid> acknowledged)
    {
        await using var node = BuildNode();
        var store = node.GetRequiredService<IAuctionStore>();
        IReadOnlyList<Bid> stored = [];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                stored = await store.GetBidsAsync(auctionId, null, 1_000);
                break;
            }
            catch (NpgsqlException) when (attempt < 19)
            {
                await Task.Delay(100); // the server may still be finishing recovery
            }
        }

        Assert.Equal(acknowledged.OrderByDescending(b => b.Seq), stored);
        Assert.Equal(acknowledged.Count, (await store.GetAuctionAsync(auctionId))!.BidCount);
    }

    private ServiceProvider BuildNode()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRemateLiveCore().UsePostgres(server.ConnectionString, o =>
        {
            o.ApplyMigrations = true;
            o.MinPoolSize = 0;
            o.MaxPoolSize = 10;
            o.ConnectionTimeout = TimeSpan.FromSeconds(5);
        });
        return services.BuildServiceProvider();
    }
}

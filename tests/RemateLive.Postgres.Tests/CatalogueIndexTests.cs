using Dapper;
using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Testing;

namespace RemateLive.Postgres.Tests;

/// <summary>
/// The catalogue is answered from indexes: for every sort, filter and page of the store's own query over
/// thousands of auctions, an index can serve it — PostgreSQL's plan has no sequential scan of the auctions
/// table even when scans are merely penalized (not forbidden), so a missing index would show as a Seq Scan.
/// </summary>
public sealed class CatalogueIndexTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    [Fact]
    public async Task EveryCatalogueQueryUsesAnIndex()
    {
        var store = db.CreateStore();
        var now = ComplianceAuctions.Truncate(DateTimeOffset.UtcNow);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // 5,000 auctions written as the store writes them (one row each), then fresh statistics.
            var states = Enumerable.Range(0, 5_000).Select(i => ComplianceAuctions.Open(now, TimeSpan.FromMinutes(5 + i)) with
            {
                Title = $"Lot {i} {(i % 50 == 0 ? "gramophone" : "chair")}",
                StartingPrice = Money.FromCents(1_000 + (i * 7 % 900)),
                Status = i % 3 == 0 ? AuctionStatus.Scheduled : AuctionStatus.Open,
                StartsAt = i % 3 == 0 ? now.AddMinutes(i % 7) : now.AddHours(-1),
            });
            foreach (var chunk in states.Chunk(500))
            {
                await Task.WhenAll(chunk.Select(a => store.CreateAuctionAsync(a)));
            }

            await connection.ExecuteAsync($"ANALYZE \"{db.Options.Schema}\".auctions");
        }

        var cursor = new CatalogueCursor(1_000, AuctionId.New());
        foreach (var sort in Enum.GetValues<AuctionSort>())
        {
            foreach (var (text, status, after) in new (string, AuctionStatus?, CatalogueCursor?)[]
            {
                ("", null, null), ("", AuctionStatus.Open, null), ("", AuctionStatus.Scheduled, cursor), ("", null, cursor),
                ("gramo", null, null), ("gramo", AuctionStatus.Open, cursor),
            })
            {
                var search = new AuctionSearch(AuctionCatalogue.Terms(text), status, sort, after is { } c && sort is AuctionSort.EndingSoon or AuctionSort.Newest
                    ? c with { Key = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 } : after, 21, now);
                var (sql, parameters) = store.CatalogueQuery(search);
                await using var connection = await db.DataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                // With a few thousand rows a sequential scan can be the cheaper plan; penalizing it shows whether
                // an index can answer the query at all (without one the plan stays a Seq Scan), independent of statistics.
                await connection.ExecuteAsync("SET LOCAL enable_seqscan = off", transaction: transaction);
                var plan = string.Join("\n", await connection.QueryAsync<string>("EXPLAIN " + sql, parameters, transaction));
                Assert.True(!plan.Contains("Seq Scan", StringComparison.Ordinal), $"{sort} '{text}' {status} {after}: {plan}");
                Assert.Contains("auctions_", plan, StringComparison.Ordinal); // one of the auctions' indexes
            }
        }

        // And the answers are right: the first page of "gramo" ending soonest is the 1st, 51st, … lot.
        var page = await store.SearchAuctionsAsync(new AuctionSearch(AuctionCatalogue.Terms("gramo"), null, AuctionSort.EndingSoon, null, 3, now));
        Assert.Equal(["Lot 0 gramophone", "Lot 50 gramophone", "Lot 100 gramophone"], page.Select(a => a.Title));
    }
}

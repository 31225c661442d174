// Durable bids/s on ONE hot auction through the real write path on PostgreSQL: N closed-loop bidders call
// the PlaceBid use case (validate → the auction's writer → one append_batch() per batch → answer), each
// bidding the minimum next bid of the last state it was told. Usage:
//   StoreBench setup  <connection-string> <schema>                 → migrates, creates the hot auction, prints its id
//   StoreBench run    <connection-string> <schema> <auction-id> <bidders> <seconds>
//     → prints "decided=<n> accepted=<a> seconds=<s> per_second=<decided/s> accepted_per_second=<a/s> p50_ms=<x> p99_ms=<y>"
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RemateLive;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.UseCases;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: StoreBench setup|run <connection-string> <schema> [auction-id bidders seconds]");
    return 2;
}

var (mode, connectionString, schema) = (args[0], args[1], args[2]);
var bidders = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
var services = new ServiceCollection();
services.AddLogging();
services.AddRemateLiveCore().UsePostgres(connectionString, o =>
{
    o.Schema = schema;
    o.ApplyMigrations = mode == "setup";
    o.MinPoolSize = 0;
    o.MaxPoolSize = bidders + 2;
});
await using var provider = services.BuildServiceProvider();
var store = provider.GetRequiredService<IAuctionStore>();

if (mode == "setup")
{
    var now = DateTimeOffset.UtcNow;
    var auction = new AuctionState
    {
        Id = AuctionId.New(),
        Title = "Hot lot (benchmark)",
        Description = "One auction, every bidder at once.",
        Currency = "USD",
        SellerId = UserId.New(),
        StartingPrice = Money.FromCents(1_000),
        Increment = IncrementRule.Fixed(100),
        ReservePrice = Money.FromCents(50_000),
        StartsAt = now.AddMinutes(-1),
        EndsAt = now.AddDays(1),
        Status = AuctionStatus.Open,
        CreatedAt = now,
    };
    await store.CreateAuctionAsync(auction);
    Console.WriteLine(auction.Id);
    return 0;
}

var auctionId = AuctionId.TryParse(args[3], out var id) ? id : throw new ArgumentException("auction id");
var duration = TimeSpan.FromSeconds(int.Parse(args[5], CultureInfo.InvariantCulture));
var placeBid = provider.GetRequiredService<PlaceBid>();
var initial = (await store.GetAuctionAsync(auctionId) ?? throw new InvalidOperationException("No such auction.")).StartingPrice.Cents;
long decided = 0, accepted = 0;
var measuring = 0;
var latencies = new List<double>[bidders];
using var stop = new CancellationTokenSource();
var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var tasks = Enumerable.Range(0, bidders).Select(i => Task.Run(async () =>
{
    var bidder = UserId.New();
    var next = initial;
    var mine = latencies[i] = [];
    await start.Task;
    while (!stop.IsCancellationRequested)
    {
        var began = Stopwatch.GetTimestamp();
        var outcome = await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidder, $"bidder-{i}", next));
        if (Volatile.Read(ref measuring) == 1)
        {
            mine.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            Interlocked.Increment(ref decided);
            if (outcome.Accepted)
            {
                Interlocked.Increment(ref accepted);
            }
        }

        if (outcome.Error is { Code: not (ErrorCodes.BidTooLow or ErrorCodes.RateLimited) } error)
        {
            throw new InvalidOperationException($"{error.Code}: {error.Message}");
        }

        next = outcome.Auction?.MinNextBidCents ?? next + 100;
    }
})).ToList();

await Task.Delay(500); // every bidder is ready
start.SetResult();
await Task.Delay(TimeSpan.FromSeconds(3)); // warm-up: JIT tiering, pool open
Volatile.Write(ref measuring, 1);
var clock = Stopwatch.StartNew();
await Task.Delay(duration);
Volatile.Write(ref measuring, 0);
var seconds = clock.Elapsed.TotalSeconds;
var (d, a) = (Interlocked.Read(ref decided), Interlocked.Read(ref accepted));
await stop.CancelAsync();
await Task.WhenAll(tasks);
var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"decided={d} accepted={a} seconds={seconds:F2} per_second={d / seconds:F1} accepted_per_second={a / seconds:F1} p50_ms={Percentile(0.50):F2} p99_ms={Percentile(0.99):F2}"));
return 0;

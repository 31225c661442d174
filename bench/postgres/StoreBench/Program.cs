// Accepted durable bids/s on ONE hot auction through IAuctionStore (PostgreSQL), N concurrent bidders.
// Each bidder decides with the real domain (Auction.PlaceBid) on the state it knows and commits with
// AppendAsync (one place_bid() round trip); on a version conflict it re-decides on the state the store
// returned, without another read. Usage:
//   StoreBench setup  <connection-string> <schema>                 → migrates, creates the hot auction, prints its id
//   StoreBench run    <connection-string> <schema> <auction-id> <bidders> <seconds>
//                                                                    → prints "accepted=<n> seconds=<s> per_second=<r> conflicts=<c>"
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RemateLive;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;

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
var strategies = provider.GetRequiredService<BidIncrementStrategies>();

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
long accepted = 0, conflicts = 0;
using var stop = new CancellationTokenSource();
var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var tasks = Enumerable.Range(0, bidders).Select(i => Task.Run(async () =>
{
    var bidder = UserId.New();
    var state = await store.GetAuctionAsync(auctionId) ?? throw new InvalidOperationException("No such auction.");
    await start.Task;
    while (!stop.IsCancellationRequested)
    {
        var auction = Auction.Load(state, strategies.Get(state.Increment.Kind));
        var decision = auction.PlaceBid(new BidRequest(bidder, $"bidder-{i}", auction.MinimumNextBid), DateTimeOffset.UtcNow);
        if (!decision.Accepted)
        {
            throw new InvalidOperationException(decision.Error!.Message);
        }

        var result = await store.AppendAsync(new AuctionCommit(auction.State, auction.LoadedVersion, auction.PendingEvents, null, CommitDeadline.BeforeEnd));
        switch (result.Status)
        {
            case AppendStatus.Committed:
                Interlocked.Increment(ref accepted);
                state = auction.State;
                break;
            case AppendStatus.VersionConflict:
                Interlocked.Increment(ref conflicts);
                state = result.Current!;
                break;
            default:
                throw new InvalidOperationException($"Unexpected {result.Status}.");
        }
    }
})).ToList();

await Task.Delay(500); // every bidder has its state and a pooled connection
start.SetResult();
await Task.Delay(TimeSpan.FromSeconds(3)); // warm-up: JIT tiering, pool fully open
var warm = Interlocked.Read(ref accepted);
var clock = Stopwatch.StartNew();
await Task.Delay(duration);
var before = Interlocked.Read(ref accepted) - warm;
var seconds = clock.Elapsed.TotalSeconds;
await stop.CancelAsync();
await Task.WhenAll(tasks);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accepted={before} seconds={seconds:F2} per_second={before / seconds:F1} conflicts={Interlocked.Read(ref conflicts)}"));
return 0;

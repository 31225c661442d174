using Microsoft.Extensions.Time.Testing;
using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Increments;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IAuctionStore"/> must honour. Inherit it in your adapter's test project
/// and implement <see cref="CreateStoreAsync"/>:
/// <code>
/// public sealed class PostgresAuctionStoreComplianceTests(PostgresFixture db)
///     : AuctionStoreComplianceTests, IClassFixture&lt;PostgresFixture&gt;
/// {
///     protected override Task&lt;IAuctionStore&gt; CreateStoreAsync(TimeProvider time) =&gt;
///         Task.FromResult&lt;IAuctionStore&gt;(new PostgresAuctionStore(db.DataSource, db.Schema));
/// }
/// </code>
/// xunit creates one instance per test and calls <see cref="InitializeAsync"/> before it, so
/// <see cref="CreateStoreAsync"/> runs once per test. Put expensive, shared set-up (a server, a schema or
/// key prefix of your own) in a class fixture; the tests only create auctions with fresh ids and users
/// with fresh names, and only assert on those, so the store may hold other data.
/// <para>
/// Deadline tests use auctions ending an hour before or after the real current time, so they hold whether
/// the store checks deadlines with the injected <see cref="TimeProvider"/> (a <see cref="FakeTimeProvider"/>
/// set to the real time, never advanced by these tests) or with its own clock (a database's).
/// </para>
/// </summary>
public abstract class AuctionStoreComplianceTests : IAsyncLifetime
{
    private IAuctionStore? _store;

    /// <summary>Sets <see cref="Time"/> to the real current time, cut to whole seconds.</summary>
    protected AuctionStoreComplianceTests()
    {
        Time = new FakeTimeProvider(ComplianceAuctions.Truncate(DateTimeOffset.UtcNow));
    }

    /// <summary>The clock handed to <see cref="CreateStoreAsync"/> and to the use cases; starts at the real time.</summary>
    protected FakeTimeProvider Time { get; }

    /// <summary>The store under test (created by <see cref="InitializeAsync"/>).</summary>
    protected IAuctionStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>How many bids race in <see cref="PlaceBidRaceKeepsEveryAcceptedBidExactlyOnce"/> (200–500 is sensible).</summary>
    protected virtual int ConcurrentBidCount => 300;

    /// <summary>How many tasks race in <see cref="ConcurrentAppendsNeverLoseOrDuplicateEvents"/>.</summary>
    protected virtual int ConcurrentAppendTasks => 32;

    /// <summary>How many appends each racing task attempts.</summary>
    protected virtual int AppendAttemptsPerTask => 8;

    /// <summary>Creates the store under test. <paramref name="time"/> is the clock to use if the store takes one.</summary>
    protected abstract Task<IAuctionStore> CreateStoreAsync(TimeProvider time);

    /// <summary>Creates the store; override to add per-test set-up (call the base).</summary>
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    /// <summary>Disposes the store when it is disposable; override for other clean-up.</summary>
    public virtual async Task DisposeAsync()
    {
        await Subjects.DisposeAsync(_store);
    }

    private DateTimeOffset Now => Time.GetUtcNow();

    // ---- create / get / list -------------------------------------------------------------------

    /// <summary>A created auction reads back unchanged, at version 0.</summary>
    [Fact]
    public async Task CreateThenGetReturnsTheSameState()
    {
        var auction = ComplianceAuctions.Open(Now) with
        {
            ImageUrl = "https://example.test/lot.jpg",
            ReservePrice = Money.FromCents(5_000),
            BuyNowPrice = Money.FromCents(9_000),
            SoftClose = new SoftClosePolicy(60, 30, 5),
            Increment = IncrementRule.Tiered(new IncrementTier(0, 50), new IncrementTier(10_000, 500)),
        };
        await Store.CreateAuctionAsync(auction);

        StoreAssert.SameState(auction, await Store.GetAuctionAsync(auction.Id));
        Assert.Null(await Store.GetAuctionAsync(AuctionId.New()));
        Assert.Empty(await Store.GetEventsAsync(auction.Id, 0, 100));
        Assert.Empty(await Store.GetBidsAsync(auction.Id, null, 100));
    }

    /// <summary>Creating an id twice fails and keeps the first auction.</summary>
    [Fact]
    public async Task CreateTwiceFailsAndKeepsTheFirst()
    {
        var auction = ComplianceAuctions.Open(Now);
        await Store.CreateAuctionAsync(auction);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateAuctionAsync(auction with { Title = "Impostor" }));
        Assert.Equal(auction.Title, (await Store.GetAuctionAsync(auction.Id))!.Title);
    }

    /// <summary>Listing filters by stored status and puts the soonest-ending first.</summary>
    [Fact]
    public async Task ListFiltersByStatusSoonestEndingFirst()
    {
        var late = ComplianceAuctions.Open(Now, TimeSpan.FromHours(3));
        var early = ComplianceAuctions.Open(Now, TimeSpan.FromHours(1));
        var middle = ComplianceAuctions.Open(Now, TimeSpan.FromHours(2));
        var scheduled = ComplianceAuctions.Open(Now, TimeSpan.FromHours(2)) with { Status = AuctionStatus.Scheduled, StartsAt = Now.AddHours(1) };
        foreach (var a in new[] { late, early, middle, scheduled })
        {
            await Store.CreateAuctionAsync(a);
        }

        var all = await Store.ListAuctionsAsync();
        var mine = all.Where(a => a.Id == late.Id || a.Id == early.Id || a.Id == middle.Id).Select(a => a.Id).ToList();
        Assert.Equal(new[] { early.Id, middle.Id, late.Id }, mine);
        Assert.Contains(all, a => a.Id == scheduled.Id);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.EndsAt <= p.Second.EndsAt), "List must be ordered by ends_at.");

        var onlyScheduled = await Store.ListAuctionsAsync(AuctionStatus.Scheduled);
        Assert.Contains(onlyScheduled, a => a.Id == scheduled.Id);
        Assert.DoesNotContain(onlyScheduled, a => a.Id == early.Id);
        Assert.All(onlyScheduled, a => Assert.Equal(AuctionStatus.Scheduled, a.Status));
    }

    // ---- catalogue -----------------------------------------------------------------------------

    /// <summary>
    /// The catalogue matches every query word as a word prefix of the title or description, judges the
    /// status as bidders see it (a scheduled auction past its start is open) and orders by each sort.
    /// </summary>
    [Fact]
    public async Task SearchMatchesWordPrefixesStatusAndSorts()
    {
        var tag = "t" + Guid.NewGuid().ToString("N")[..12];
        var lamp = ComplianceAuctions.Open(Now, TimeSpan.FromHours(2)) with { Title = $"Art deco lamp {tag}", StartingPrice = Money.FromCents(3_000), CreatedAt = Now.AddHours(-5) };
        var chair = ComplianceAuctions.Open(Now, TimeSpan.FromHours(1)) with { Title = $"Bauhaus chair {tag}", Description = "Steel tube, deco era.", StartingPrice = Money.FromCents(9_000), CreatedAt = Now.AddHours(-3) };
        var clock = ComplianceAuctions.Open(Now, TimeSpan.FromHours(4)) with { Title = $"Carriage clock {tag}", StartingPrice = Money.FromCents(1_000), CreatedAt = Now.AddHours(-1) };
        var later = ComplianceAuctions.Open(Now, TimeSpan.FromHours(5)) with { Title = $"Deco mirror {tag}", Status = AuctionStatus.Scheduled, StartsAt = Now.AddHours(1), CreatedAt = Now.AddHours(-2) };
        var started = ComplianceAuctions.Open(Now, TimeSpan.FromHours(3)) with { Title = $"Tin toy {tag}", Status = AuctionStatus.Scheduled, StartsAt = Now.AddMinutes(-5), CreatedAt = Now.AddHours(-4) };
        var other = ComplianceAuctions.Open(Now) with { Title = "Deco lamp without the tag" };
        foreach (var a in new[] { lamp, chair, clock, later, started, other })
        {
            await Store.CreateAuctionAsync(a);
        }

        async Task<AuctionId[]> Ids(string text, AuctionStatus? status = null, AuctionSort sort = AuctionSort.EndingSoon) =>
            [.. (await Store.SearchAuctionsAsync(new AuctionSearch(AuctionCatalogue.Terms(text), status, sort, null, 50, Now))).Select(a => a.Id)];

        Assert.Equal([chair.Id, lamp.Id, started.Id, clock.Id, later.Id], await Ids(tag));
        Assert.Equal([chair.Id, lamp.Id, later.Id], await Ids($"DEC {tag}"));            // prefix, any case, title or description
        Assert.Equal([lamp.Id], await Ids($"{tag} lamp art"));                           // every word must match
        Assert.Empty(await Ids($"{tag} amp"));                                           // a prefix of a word, not a substring
        Assert.Equal([chair.Id, lamp.Id, started.Id, clock.Id], await Ids(tag, AuctionStatus.Open));
        Assert.Equal([later.Id], await Ids(tag, AuctionStatus.Scheduled));
        Assert.Empty(await Ids(tag, AuctionStatus.Closed));
        Assert.Equal([clock.Id, later.Id, chair.Id, started.Id, lamp.Id], await Ids(tag, sort: AuctionSort.Newest));
        Assert.Equal([clock.Id, lamp.Id, chair.Id], (await Ids(tag, AuctionStatus.Open, AuctionSort.PriceLowest)).Where(id => id != started.Id));
        Assert.Equal(chair.Id, (await Ids(tag, sort: AuctionSort.PriceHighest))[0]);
    }

    /// <summary>Pages follow each other by cursor with nothing repeated or skipped, in every sort, even on equal keys.</summary>
    [Fact]
    public async Task SearchPagesByCursorWithoutRepeatsOrGaps()
    {
        var tag = "p" + Guid.NewGuid().ToString("N")[..12];
        var auctions = Enumerable.Range(0, 7).Select(i => ComplianceAuctions.Open(Now, TimeSpan.FromHours(1 + (i % 3))) with
        {
            Title = $"Lot {i} {tag}",
            StartingPrice = Money.FromCents(1_000 * (1 + (i % 2))), // equal keys: the id breaks ties
        }).ToList();
        foreach (var a in auctions)
        {
            await Store.CreateAuctionAsync(a);
        }

        foreach (var sort in Enum.GetValues<AuctionSort>())
        {
            var terms = AuctionCatalogue.Terms(tag);
            var all = (await Store.SearchAuctionsAsync(new AuctionSearch(terms, null, sort, null, 50, Now))).Select(a => a.Id).ToList();
            Assert.Equal(auctions.Count, all.Count);

            var paged = new List<AuctionId>();
            CatalogueCursor? after = null;
            for (var page = 0; page < 10; page++)
            {
                var found = await Store.SearchAuctionsAsync(new AuctionSearch(terms, null, sort, after, 3, Now));
                Assert.True(found.Count <= 3);
                paged.AddRange(found.Select(a => a.Id));
                if (found.Count < 3)
                {
                    break;
                }

                after = new CatalogueCursor(AuctionCatalogue.SortKey(found[^1], sort), found[^1].Id);
            }

            Assert.Equal(all, paged);
        }
    }

    /// <summary>
    /// "My bids": a bidder's auctions, most recently bid first, each with their highest accepted bid
    /// (their proxy answers included), and nobody else's auctions.
    /// </summary>
    [Fact]
    public async Task BidderAuctionsListWhereTheBidderBidMostRecentFirst()
    {
        var ana = UserId.New();
        var bea = UserId.New();
        var first = await CreateOpenAsync();
        var second = await CreateOpenAsync();
        var notMine = await CreateOpenAsync();

        // first: Ana bids 1,000 with a maximum of 3,000; Bea's 2,000 is answered by Ana's proxy at 2,100.
        var a1 = Decide(first, ana, 1_000, max: 3_000, at: Now.AddMinutes(-10));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(a1))).Status);
        var a2 = Decide(a1.State, bea, 2_000, at: Now.AddMinutes(-9));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(a2))).Status);
        // second: Ana bids later, then Bea outbids her.
        var b1 = Decide(second, ana, 1_500, at: Now.AddMinutes(-5));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(b1))).Status);
        var b2 = Decide(b1.State, bea, 1_600, at: Now.AddMinutes(-4));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(b2))).Status);
        var c1 = Decide(notMine, bea, 1_000, at: Now.AddMinutes(-1));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(c1))).Status);

        var anas = await Store.GetBidderAuctionsAsync(ana, 10);
        Assert.Equal([second.Id, first.Id], anas.Select(x => x.Auction.Id));
        Assert.Equal([1_500L, 2_100L], anas.Select(x => x.HighestBid.Cents));
        Assert.Equal(bea, anas[0].Auction.LeaderId);   // the latest state, not the state when Ana bid
        Assert.Equal(Now.AddMinutes(-5), anas[0].LastBidAt);
        Assert.Equal([second.Id], (await Store.GetBidderAuctionsAsync(ana, 1)).Select(x => x.Auction.Id));

        var beas = await Store.GetBidderAuctionsAsync(bea, 10);
        Assert.Equal([notMine.Id, second.Id, first.Id], beas.Select(x => x.Auction.Id));
        Assert.Empty(await Store.GetBidderAuctionsAsync(UserId.New(), 10));
    }

    // ---- append --------------------------------------------------------------------------------

    /// <summary>An append stores the events, the bids and the new state.</summary>
    [Fact]
    public async Task AppendStoresEventsBidsAndState()
    {
        var auction = await CreateOpenAsync();
        var decided = Decide(auction, UserId.New(), 1_000);

        var result = await Store.AppendAsync(CommitOf(decided));

        Assert.Equal(AppendStatus.Committed, result.Status);
        StoreAssert.SameState(decided.State, await Store.GetAuctionAsync(auction.Id));
        Assert.Equal(decided.PendingEvents, await Store.GetEventsAsync(auction.Id, 0, 100));
        var placed = Assert.IsType<BidPlaced>(decided.PendingEvents[0]);
        Assert.Equal(new[] { placed.Bid }, await Store.GetBidsAsync(auction.Id, null, 100));
    }

    /// <summary>An append with a stale expected version fails with the current state and changes nothing.</summary>
    [Fact]
    public async Task AppendWithStaleVersionConflictsAndChangesNothing()
    {
        var auction = await CreateOpenAsync();
        var first = Decide(auction, UserId.New(), 1_000);
        var rival = Decide(auction, UserId.New(), 2_000); // decided on version 0 too
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(first))).Status);

        var outcome = Outcome(rival, "stale-key");
        var result = await Store.AppendAsync(CommitOf(rival, outcome));

        Assert.Equal(AppendStatus.VersionConflict, result.Status);
        StoreAssert.SameState(first.State, result.Current);
        StoreAssert.SameState(first.State, await Store.GetAuctionAsync(auction.Id));
        Assert.Equal(first.PendingEvents, await Store.GetEventsAsync(auction.Id, 0, 100));
        Assert.Single(await Store.GetBidsAsync(auction.Id, null, 100));
        Assert.Null(await Store.FindOutcomeAsync(auction.Id, outcome.UserId, outcome.IdempotencyKey));
    }

    /// <summary>An append to an unknown auction reports NotFound.</summary>
    [Fact]
    public async Task AppendToUnknownAuctionIsNotFound()
    {
        var ghost = ComplianceAuctions.Open(Now); // never created
        var result = await Store.AppendAsync(CommitOf(Decide(ghost, UserId.New(), 1_000)));

        Assert.Equal(AppendStatus.NotFound, result.Status);
        Assert.Null(await Store.GetAuctionAsync(ghost.Id));
    }

    /// <summary>Malformed commits (seq gap, wrong auction, version mismatch, non-positive amount, nothing to store, bad outcomes) throw and change nothing.</summary>
    [Fact]
    public async Task MalformedCommitsAreRefusedAndChangeNothing()
    {
        var auction = await CreateOpenAsync();
        var seed = Decide(auction, UserId.New(), 1_000);
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(seed))).Status);

        var good = Decide(seed.State, UserId.New(), 1_500);
        var placed = Assert.IsType<BidPlaced>(good.PendingEvents.Single());
        var malformed = new Dictionary<string, AuctionCommit>
        {
            ["seq gap"] = new(good.State with { Version = placed.Seq + 1 }, good.LoadedVersion, [placed with { Seq = placed.Seq + 1 }], [], CommitDeadline.BeforeEnd),
            ["wrong auction"] = new(good.State, good.LoadedVersion, [placed with { AuctionId = AuctionId.New() }], [], CommitDeadline.BeforeEnd),
            ["version mismatch"] = new(good.State with { Version = placed.Seq + 1 }, good.LoadedVersion, [placed], [], CommitDeadline.BeforeEnd),
            ["zero amount"] = new(good.State, good.LoadedVersion, [placed with { Bid = placed.Bid with { Amount = Money.Zero } }], [], CommitDeadline.BeforeEnd),
            ["neither events nor outcomes"] = new(good.State, good.LoadedVersion, [], [], CommitDeadline.BeforeEnd),
            ["one key twice"] = new(good.State, good.LoadedVersion, [placed], [Outcome(good, "twice"), Rejection(good.State.Id, placed.Bid.BidderId, "twice")], CommitDeadline.BeforeEnd),
            ["accepted outcome without its bid"] = new(good.State, good.LoadedVersion, [placed], [Outcome(good, "k") with { Seq = placed.Seq + 5 }], CommitDeadline.BeforeEnd),
            ["accepted outcome of another user"] = new(good.State, good.LoadedVersion, [placed], [Outcome(good, "k") with { UserId = UserId.New() }], CommitDeadline.BeforeEnd),
            ["rejection without a code"] = new(good.State, good.LoadedVersion, [placed], [Rejection(good.State.Id, UserId.New(), "k") with { ErrorCode = null }], CommitDeadline.BeforeEnd),
            ["outcome of another auction"] = new(good.State, good.LoadedVersion, [placed], [Rejection(AuctionId.New(), UserId.New(), "k")], CommitDeadline.BeforeEnd),
        };

        foreach (var (name, commit) in malformed)
        {
            var error = await Record.ExceptionAsync(() => Store.AppendAsync(commit));
            Assert.True(error is ArgumentException, $"A commit with {name} must throw ArgumentException, got {error?.GetType().Name ?? "no exception"}.");
            StoreAssert.SameState(seed.State, await Store.GetAuctionAsync(auction.Id));
            Assert.Equal(seed.PendingEvents, await Store.GetEventsAsync(auction.Id, 0, 100));
        }

        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(good))).Status);
    }

    /// <summary>Many tasks appending to one auction never lose nor duplicate an event; seq stays gap-free.</summary>
    [Fact]
    public async Task ConcurrentAppendsNeverLoseOrDuplicateEvents()
    {
        var auction = await CreateOpenAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppendTasks).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var bidder = UserId.New();
            var committed = new List<AuctionEvent>();
            var state = (await Store.GetAuctionAsync(auction.Id))!;
            for (var attempt = 0; attempt < AppendAttemptsPerTask; attempt++)
            {
                var decided = Decide(state, bidder, MinimumNextBid(state));
                var result = await Store.AppendAsync(CommitOf(decided));
                if (result.Status == AppendStatus.Committed)
                {
                    committed.AddRange(decided.PendingEvents);
                    state = decided.State;
                }
                else
                {
                    Assert.Equal(AppendStatus.VersionConflict, result.Status);
                    state = result.Current!;
                }
            }

            return committed;
        })).ToList();
        start.SetResult();
        var committed = (await Task.WhenAll(tasks)).SelectMany(c => c).ToList();

        var stored = await ReadAllEventsAsync(auction.Id);
        Assert.NotEmpty(committed);
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(e => e.Seq));
        Assert.Equal(committed.OrderBy(e => e.Seq), stored);
        var final = await Store.GetAuctionAsync(auction.Id);
        Assert.Equal(stored.Count, final!.Version);
        Assert.Equal(stored.Count, final.BidCount);
        Assert.Equal(stored.Count, (await Store.GetBidsAsync(auction.Id, null, 10_000)).Count);
    }

    // ---- idempotency ---------------------------------------------------------------------------

    /// <summary>An accepted outcome is stored with its events; the same key again is a DuplicateKey with the first outcome and appends nothing.</summary>
    [Fact]
    public async Task AcceptedOutcomeIsStoredAtomicallyAndKeysAreSingleUse()
    {
        var auction = await CreateOpenAsync();
        var bidder = UserId.New();
        var first = Decide(auction, bidder, 1_000, key: "key-1");
        var outcome = Outcome(first, "key-1");
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(first, outcome))).Status);
        AssertSameOutcome(outcome, await Store.FindOutcomeAsync(auction.Id, bidder, "key-1"));

        var again = Decide(first.State, bidder, 2_000, key: "key-1");
        var result = await Store.AppendAsync(CommitOf(again, Outcome(again, "key-1")));

        Assert.Equal(AppendStatus.DuplicateKey, result.Status);
        AssertSameOutcome(outcome, Assert.Single(result.ExistingOutcomes!));
        Assert.Equal(first.PendingEvents, await Store.GetEventsAsync(auction.Id, 0, 100));
        StoreAssert.SameState(first.State, await Store.GetAuctionAsync(auction.Id));

        // Keys belong to a user on an auction: another user's identical key is independent.
        var other = Decide(first.State, UserId.New(), 2_000, key: "key-1");
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(other, Outcome(other, "key-1")))).Status);
        Assert.Null(await Store.FindOutcomeAsync(AuctionId.New(), bidder, "key-1"));
    }

    /// <summary>
    /// A leader's raised maximum is an event like a bid's: stored with its seq, read back (its secret amount included,
    /// for the server), the new maximum in the state, its outcome pointing at it, and its key single-use.
    /// </summary>
    [Fact]
    public async Task RaisedMaximumIsStoredAsAnEventWithItsOutcome()
    {
        var auction = await CreateOpenAsync();
        var leader = UserId.New();
        var first = Decide(auction, leader, 1_000, max: 2_000);
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(first))).Status);

        var raising = Load(first.State);
        var decision = raising.PlaceBid(new BidRequest(leader, "Bidder", Money.FromCents(5_000), Money.FromCents(5_000), "raise-1", RaisesMaximumOnly: true), Now);
        var raised = Assert.IsType<MaximumRaised>(Assert.Single(raising.PendingEvents));
        Assert.Same(raised, decision.Raised);
        var outcome = new BidOutcomeRecord(auction.Id, leader, "raise-1", raised.Seq, null, null, Now);
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(raising, outcome))).Status);

        Assert.Equal([.. first.PendingEvents, raised], await Store.GetEventsAsync(auction.Id, 0, 100));
        var stored = await Store.GetAuctionAsync(auction.Id);
        StoreAssert.SameState(raising.State, stored);
        Assert.Equal(Money.FromCents(5_000), stored!.LeaderMax);
        Assert.Equal(Money.FromCents(1_000), stored.CurrentPrice);
        AssertSameOutcome(outcome, await Store.FindOutcomeAsync(auction.Id, leader, "raise-1"));

        var again = Load(raising.State);
        again.PlaceBid(new BidRequest(leader, "Bidder", Money.FromCents(6_000), Money.FromCents(6_000), "raise-1", RaisesMaximumOnly: true), Now);
        var duplicate = await Store.AppendAsync(CommitOf(again, new BidOutcomeRecord(auction.Id, leader, "raise-1", again.PendingEvents[0].Seq, null, null, Now)));
        Assert.Equal(AppendStatus.DuplicateKey, duplicate.Status);
        AssertSameOutcome(outcome, Assert.Single(duplicate.ExistingOutcomes!));
    }

    /// <summary>A commit without events stores rejections, with no version check; the first outcome of a key stands.</summary>
    [Fact]
    public async Task RejectionsAreStoredWithoutEventsAndTheFirstOutcomeStands()
    {
        var auction = await CreateOpenAsync();
        var bidder = UserId.New();
        var rejection = Rejection(auction.Id, bidder, "r-1");

        // Decided on version 0, stored after the auction moved on: a rejection on an older state stays true.
        var accepted = Decide(auction, bidder, 1_000, key: "a-1");
        var outcome = Outcome(accepted, "a-1");
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(accepted, outcome))).Status);
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(new AuctionCommit(auction, 0, [], [rejection]))).Status);
        AssertSameOutcome(rejection, await Store.FindOutcomeAsync(auction.Id, bidder, "r-1"));
        StoreAssert.SameState(accepted.State, await Store.GetAuctionAsync(auction.Id));

        // A second outcome for either key (rejection or bid) is refused with the one that stands.
        var again = await Store.AppendAsync(new AuctionCommit(auction, 0, [], [rejection with { ErrorCode = ErrorCodes.AuctionClosed }, Rejection(auction.Id, bidder, "a-1")]));
        Assert.Equal(AppendStatus.DuplicateKey, again.Status);
        Assert.Equal(2, again.ExistingOutcomes!.Count);
        AssertSameOutcome(rejection, Assert.Single(again.ExistingOutcomes, o => o.IdempotencyKey == "r-1"));
        AssertSameOutcome(outcome, Assert.Single(again.ExistingOutcomes, o => o.IdempotencyKey == "a-1"));

        var later = Decide(accepted.State, bidder, 5_000, key: "r-1");
        var result = await Store.AppendAsync(CommitOf(later, Outcome(later, "r-1")));
        Assert.Equal(AppendStatus.DuplicateKey, result.Status);
        AssertSameOutcome(rejection, Assert.Single(result.ExistingOutcomes!));
        Assert.Equal(accepted.State.Version, (await Store.GetAuctionAsync(auction.Id))!.Version);
    }

    /// <summary>Outcomes older than the retention cut-off are forgotten (the key is free again); newer ones stay.</summary>
    [Fact]
    public async Task ExpiredOutcomesArePrunedAndTheirKeysFreed()
    {
        var auction = await CreateOpenAsync();
        var bidder = UserId.New();
        var old = Rejection(auction.Id, bidder, "old") with { CreatedAt = Now.AddHours(-3) };
        var fresh = Rejection(auction.Id, bidder, "fresh");
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(new AuctionCommit(auction, 0, [], [old]))).Status);
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(new AuctionCommit(auction, 0, [], [fresh]))).Status);

        Assert.True(await Store.PruneOutcomesAsync(Now.AddHours(-1)) >= 1);

        Assert.Null(await Store.FindOutcomeAsync(auction.Id, bidder, "old"));
        AssertSameOutcome(fresh, await Store.FindOutcomeAsync(auction.Id, bidder, "fresh"));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(new AuctionCommit(auction, 0, [], [old with { CreatedAt = Now }]))).Status);
    }

    // ---- batches -------------------------------------------------------------------------------

    /// <summary>A batch of decisions (bids from several bidders, a proxy answer, keyed acceptances and rejections) commits as one.</summary>
    [Fact]
    public async Task BatchCommitsEveryEventAndOutcomeTogether()
    {
        var auction = await CreateOpenAsync();
        var (ana, bea, cal) = (UserId.New(), UserId.New(), UserId.New());
        var batch = Load(auction);
        Assert.True(batch.PlaceBid(new BidRequest(ana, "Ana", Money.FromCents(1_000), Money.FromCents(3_000), "ana-1"), Now).Accepted);
        Assert.True(batch.PlaceBid(new BidRequest(bea, "Bea", Money.FromCents(1_500), null, "bea-1"), Now).Accepted); // answered by Ana's proxy
        var tooLow = batch.PlaceBid(new BidRequest(cal, "Cal", Money.FromCents(1_100), null, "cal-1"), Now);
        Assert.Equal(ErrorCodes.BidTooLow, tooLow.Error!.Code);
        Assert.True(batch.PlaceBid(new BidRequest(cal, "Cal", Money.FromCents(4_000), null, "cal-2"), Now).Accepted);
        var bids = batch.PendingEvents.OfType<BidPlaced>().ToList();
        Assert.Equal(4, bids.Count);
        BidOutcomeRecord[] outcomes =
        [
            Accepted(bids.First(b => b.Bid.BidderId == ana), "ana-1"),
            Accepted(bids.First(b => b.Bid.BidderId == bea), "bea-1"),
            Rejection(auction.Id, cal, "cal-1"),
            Accepted(bids.First(b => b.Bid.BidderId == cal), "cal-2"),
        ];

        var result = await Store.AppendAsync(new AuctionCommit(batch.State, 0, batch.PendingEvents, outcomes, CommitDeadline.BeforeEnd));

        Assert.Equal(AppendStatus.Committed, result.Status);
        StoreAssert.SameState(batch.State, await Store.GetAuctionAsync(auction.Id));
        Assert.Equal(batch.PendingEvents, await Store.GetEventsAsync(auction.Id, 0, 100));
        Assert.Equal(bids.Select(b => b.Bid).Reverse(), await Store.GetBidsAsync(auction.Id, null, 100));
        foreach (var o in outcomes)
        {
            AssertSameOutcome(o, await Store.FindOutcomeAsync(auction.Id, o.UserId, o.IdempotencyKey));
        }
    }

    /// <summary>A batch in which some keys are stored already changes nothing and reports every duplicate with its first outcome.</summary>
    [Fact]
    public async Task BatchWithSomeDuplicateKeysChangesNothing()
    {
        var auction = await CreateOpenAsync();
        var (ana, bea) = (UserId.New(), UserId.New());
        var first = Decide(auction, ana, 1_000, key: "ana-1");
        var storedRejection = Rejection(auction.Id, bea, "bea-0");
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(first, Outcome(first, "ana-1"), storedRejection))).Status);

        var batch = Load(first.State);
        Assert.True(batch.PlaceBid(new BidRequest(bea, "Bea", Money.FromCents(2_000), null, "bea-0"), Now).Accepted); // retry of a stored key
        Assert.True(batch.PlaceBid(new BidRequest(ana, "Ana", Money.FromCents(3_000), null, "ana-2"), Now).Accepted);   // new key
        var bids = batch.PendingEvents.OfType<BidPlaced>().ToList();
        var result = await Store.AppendAsync(new AuctionCommit(batch.State, batch.LoadedVersion, batch.PendingEvents,
            [Accepted(bids[0], "bea-0"), Accepted(bids[1], "ana-2"), Rejection(auction.Id, ana, "ana-1")], CommitDeadline.BeforeEnd));

        Assert.Equal(AppendStatus.DuplicateKey, result.Status);
        Assert.Equal(2, result.ExistingOutcomes!.Count);
        AssertSameOutcome(storedRejection, Assert.Single(result.ExistingOutcomes, o => o.IdempotencyKey == "bea-0"));
        AssertSameOutcome(Outcome(first, "ana-1"), Assert.Single(result.ExistingOutcomes, o => o.IdempotencyKey == "ana-1"));
        StoreAssert.SameState(first.State, await Store.GetAuctionAsync(auction.Id));
        Assert.Equal(first.PendingEvents, await Store.GetEventsAsync(auction.Id, 0, 100));
        Assert.Null(await Store.FindOutcomeAsync(auction.Id, ana, "ana-2"));
    }

    /// <summary>A batch of bids that reaches the store after the deadline (by the store's clock) is refused whole.</summary>
    [Fact]
    public async Task BatchCrossingTheDeadlineIsRefusedWhole()
    {
        var ended = ComplianceAuctions.Ended(Now);
        await Store.CreateAuctionAsync(ended);
        var (ana, bea) = (UserId.New(), UserId.New());
        var batch = Load(ended);
        var decidedAt = ended.EndsAt.AddSeconds(-1); // a node whose clock still saw the auction open
        Assert.True(batch.PlaceBid(new BidRequest(ana, "Ana", Money.FromCents(1_000), null, "ana-1"), decidedAt).Accepted);
        Assert.True(batch.PlaceBid(new BidRequest(bea, "Bea", Money.FromCents(1_500), null, "bea-1"), decidedAt).Accepted);
        var bids = batch.PendingEvents.OfType<BidPlaced>().ToList();

        var result = await Store.AppendAsync(new AuctionCommit(batch.State, 0, batch.PendingEvents,
            [Accepted(bids[0], "ana-1"), Accepted(bids[1], "bea-1"), Rejection(ended.Id, UserId.New(), "late-reject")], CommitDeadline.BeforeEnd));

        Assert.Equal(AppendStatus.DeadlineMissed, result.Status);
        StoreAssert.SameState(ended, result.Current);
        StoreAssert.SameState(ended, await Store.GetAuctionAsync(ended.Id));
        Assert.Empty(await Store.GetEventsAsync(ended.Id, 0, 10));
        Assert.Null(await Store.FindOutcomeAsync(ended.Id, ana, "ana-1"));
    }

    /// <summary>After a close, a batch decided on the open state conflicts; one that claims the closed version is refused; nothing changes.</summary>
    [Fact]
    public async Task BatchAfterCloseIsRefused()
    {
        var auction = await CreateOpenAsync();
        var bid = Decide(auction, UserId.New(), 1_000);
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(bid))).Status);
        var stale = Decide(bid.State, UserId.New(), 2_000);
        var close = Load(bid.State);
        Assert.Null(close.Close(CloseReason.Admin, Now));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(close))).Status);

        var conflict = await Store.AppendAsync(CommitOf(stale, deadline: CommitDeadline.BeforeEnd));
        Assert.Equal(AppendStatus.VersionConflict, conflict.Status);
        StoreAssert.SameState(close.State, conflict.Current);

        // A buggy writer appending bids after the close event: refused by the store itself.
        var placed = Assert.IsType<BidPlaced>(stale.PendingEvents.Single());
        var afterClose = placed with { Seq = close.State.Version + 1, Bid = placed.Bid with { Seq = close.State.Version + 1 } };
        var forged = new AuctionCommit(close.State with { Version = afterClose.Seq, Status = AuctionStatus.Open }, close.State.Version, [afterClose], []);
        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendAsync(forged));
        StoreAssert.SameState(close.State, await Store.GetAuctionAsync(auction.Id));
        Assert.Equal(bid.PendingEvents.Concat(close.PendingEvents), await Store.GetEventsAsync(auction.Id, 0, 100));
    }

    // ---- reads ---------------------------------------------------------------------------------

    /// <summary>Events after a seq come back complete and in order, page by page.</summary>
    [Fact]
    public async Task EventsSinceSeqAreCompleteAndOrderedWithPaging()
    {
        var auction = await CreateOpenAsync();
        var all = await AppendBidsAsync(auction, 12); // proxies make some commits carry two events

        var paged = new List<AuctionEvent>();
        for (long after = 0; ;)
        {
            var page = await Store.GetEventsAsync(auction.Id, after, 5);
            Assert.True(page.Count <= 5);
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page);
            after = page[^1].Seq;
        }

        Assert.Equal(all, paged);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), paged.Select(e => e.Seq));
        Assert.Equal(all.Skip(7), await Store.GetEventsAsync(auction.Id, 7, 1_000));
        Assert.Empty(await Store.GetEventsAsync(auction.Id, all.Count, 10));
        Assert.Empty(await Store.GetEventsAsync(AuctionId.New(), 0, 10));
    }

    /// <summary>Bids come newest first; before_seq pages further back.</summary>
    [Fact]
    public async Task BidsAreNewestFirstWithBeforeSeqPaging()
    {
        var auction = await CreateOpenAsync();
        var bids = (await AppendBidsAsync(auction, 10)).OfType<BidPlaced>().Select(p => p.Bid).ToList();
        var newestFirst = bids.OrderByDescending(b => b.Seq).ToList();

        Assert.Equal(newestFirst.Take(4), await Store.GetBidsAsync(auction.Id, null, 4));
        Assert.Equal(newestFirst.Where(b => b.Seq < newestFirst[3].Seq).Take(4), await Store.GetBidsAsync(auction.Id, newestFirst[3].Seq, 4));
        Assert.Equal(newestFirst, await Store.GetBidsAsync(auction.Id, null, 1_000));
        Assert.Empty(await Store.GetBidsAsync(auction.Id, 1, 10));
    }

    /// <summary>Due auctions are open or scheduled ones whose end has passed, soonest first.</summary>
    [Fact]
    public async Task DueAuctionsAreUnfinishedOnesPastTheirEnd()
    {
        var due = ComplianceAuctions.Ended(Now);
        var dueEarlier = ComplianceAuctions.Ended(Now) with { EndsAt = due.EndsAt.AddMinutes(-5) };
        var scheduledDue = ComplianceAuctions.Ended(Now) with { Status = AuctionStatus.Scheduled };
        var running = ComplianceAuctions.Open(Now);
        var closed = ComplianceAuctions.Ended(Now) with { Status = AuctionStatus.Closed, ClosedAt = Now };
        var cancelled = ComplianceAuctions.Ended(Now) with { Status = AuctionStatus.Cancelled, ClosedAt = Now };
        foreach (var a in new[] { due, dueEarlier, scheduledDue, running, closed, cancelled })
        {
            await Store.CreateAuctionAsync(a);
        }

        var ids = (await Store.GetDueAuctionsAsync(Now, 100_000)).ToList();

        Assert.Contains(due.Id, ids);
        Assert.Contains(scheduledDue.Id, ids);
        Assert.DoesNotContain(running.Id, ids);
        Assert.DoesNotContain(closed.Id, ids);
        Assert.DoesNotContain(cancelled.Id, ids);
        Assert.True(ids.IndexOf(dueEarlier.Id) < ids.IndexOf(due.Id), "Soonest-ending first.");
        Assert.Single(await Store.GetDueAuctionsAsync(Now, 1));
        Assert.DoesNotContain(due.Id, await Store.GetDueAuctionsAsync(due.EndsAt.AddSeconds(-1), 100_000));
    }

    /// <summary>BeforeEnd commits only before the stored end, AfterEnd only after it; a miss changes nothing.</summary>
    [Fact]
    public async Task DeadlineConditionsAreEnforced()
    {
        var running = await CreateOpenAsync();
        var ended = ComplianceAuctions.Ended(Now);
        await Store.CreateAuctionAsync(ended);

        // A bid decided (by a skewed node clock) as if the ended auction were still open.
        var late = Decide(ended, UserId.New(), 1_000, at: ended.EndsAt.AddMinutes(-1));
        var missed = await Store.AppendAsync(CommitOf(late, Outcome(late, "late"), CommitDeadline.BeforeEnd));
        Assert.Equal(AppendStatus.DeadlineMissed, missed.Status);
        StoreAssert.SameState(ended, missed.Current);
        StoreAssert.SameState(ended, await Store.GetAuctionAsync(ended.Id));
        Assert.Empty(await Store.GetEventsAsync(ended.Id, 0, 10));
        Assert.Null(await Store.FindOutcomeAsync(ended.Id, late.State.LeaderId!.Value, "late"));

        // A timed close of a running auction.
        var early = Load(running);
        Assert.Null(early.Close(CloseReason.Ended, running.EndsAt));
        var tooEarly = await Store.AppendAsync(CommitOf(early, deadline: CommitDeadline.AfterEnd));
        Assert.Equal(AppendStatus.DeadlineMissed, tooEarly.Status);
        StoreAssert.SameState(running, await Store.GetAuctionAsync(running.Id));

        // The right sides of the deadline commit.
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(Decide(running, UserId.New(), 1_000), deadline: CommitDeadline.BeforeEnd))).Status);
        var close = Load(ended);
        Assert.Null(close.Close(CloseReason.Ended, Now));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(close, deadline: CommitDeadline.AfterEnd))).Status);
        Assert.Equal(AuctionStatus.Closed, (await Store.GetAuctionAsync(ended.Id))!.Status);
    }

    // ---- use cases through the store -----------------------------------------------------------

    /// <summary>Several closers racing on a due auction close it exactly once.</summary>
    [Fact]
    public async Task RacingClosersCloseExactlyOnce()
    {
        var ended = ComplianceAuctions.Ended(Now);
        await Store.CreateAuctionAsync(ended);
        var bid = Decide(ended, UserId.New(), 1_200, at: ended.EndsAt.AddMinutes(-1));
        Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(bid))).Status);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await new UseCaseHarness(Store, Time).CloseAuction.ExecuteAsync(ended.Id, CloseReason.Ended);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(closers);

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ErrorCodes.AuctionClosed, r.Error!.Code));
        var events = await ReadAllEventsAsync(ended.Id);
        var closed = Assert.Single(events.OfType<AuctionClosed>());
        Assert.Equal(bid.State.LeaderId, closed.WinnerId);
        Assert.Equal(2, events.Count);
        var final = await Store.GetAuctionAsync(ended.Id);
        Assert.Equal(AuctionStatus.Closed, final!.Status);
        Assert.Equal(bid.State.LeaderId, final.WinnerId);
        Assert.Equal(2, final.Version);
    }

    /// <summary>Hundreds of concurrent PlaceBid calls: every accepted bid is stored exactly once, amounts rise with seq, seq is gap-free.</summary>
    [Fact]
    public async Task PlaceBidRaceKeepsEveryAcceptedBidExactlyOnce()
    {
        var auction = await CreateOpenAsync();
        var harness = new UseCaseHarness(Store, Time);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentBidCount).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var bidder = UserId.New();
            var accepted = new List<BidPlaced>();
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var state = (await Store.GetAuctionAsync(auction.Id))!;
                var amount = MinimumNextBid(state).Cents + (i % 5 * 100);
                long? max = i % 4 == 0 ? amount + 2_000 : null;
                var key = i % 2 == 0 ? $"race-{i}-{attempt}" : null;
                var outcome = await harness.PlaceBid.ExecuteAsync(new(auction.Id, bidder, $"bidder-{i}", amount, max, state.Version, key));
                if (outcome.Accepted)
                {
                    accepted.Add(outcome.Placed!);
                    break;
                }

                Assert.Contains(outcome.Error!.Code, new[] { ErrorCodes.BidTooLow, ErrorCodes.Concurrency });
            }

            return accepted;
        })).ToList();
        start.SetResult();
        var accepted = (await Task.WhenAll(tasks)).SelectMany(a => a).ToList();

        var events = await ReadAllEventsAsync(auction.Id);
        var placed = events.OfType<BidPlaced>().ToList();
        Assert.NotEmpty(accepted);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        foreach (var bid in accepted)
        {
            Assert.Equal(bid, Assert.Single(placed, p => p.Bid.Id == bid.Bid.Id));
        }

        Assert.Equal(placed.Count, placed.Select(p => p.Bid.Id).Distinct().Count());
        Assert.True(placed.Zip(placed.Skip(1)).All(p => p.Second.Bid.Amount > p.First.Bid.Amount), "Amounts must strictly increase in seq order.");
        var final = (await Store.GetAuctionAsync(auction.Id))!;
        Assert.Equal(events[^1].Seq, final.Version);
        Assert.Equal(placed.Count, final.BidCount);
        Assert.Equal(placed[^1].Bid.Amount, final.CurrentPrice);
        Assert.Equal(placed[^1].Bid.BidderId, final.LeaderId);
    }

    // ---- paddles -------------------------------------------------------------------------------

    /// <summary>Paddles are numbered 1, 2, 3… per auction in order of first request, stable, and distinct under concurrency.</summary>
    [Fact]
    public async Task PaddlesAreSequentialPerAuctionStableAndDistinct()
    {
        var auction = await CreateOpenAsync();
        var other = await CreateOpenAsync();
        var (ana, ben) = (UserId.New(), UserId.New());

        Assert.Null(await Store.FindPaddleAsync(auction.Id, ana));
        Assert.Equal(1, await Store.AssignPaddleAsync(auction.Id, ana));
        Assert.Equal(2, await Store.AssignPaddleAsync(auction.Id, ben));
        Assert.Equal(1, await Store.AssignPaddleAsync(auction.Id, ana));
        Assert.Equal(1, await Store.FindPaddleAsync(auction.Id, ana));
        Assert.Equal(1, await Store.AssignPaddleAsync(other.Id, ben));
        Assert.Null(await Store.AssignPaddleAsync(AuctionId.New(), ana));

        var racing = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Store.AssignPaddleAsync(other.Id, UserId.New()))));
        Assert.Equal(Enumerable.Range(2, 40).Select(i => (int?)i), racing.Order());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private async Task<AuctionState> CreateOpenAsync()
    {
        var auction = ComplianceAuctions.Open(Now);
        await Store.CreateAuctionAsync(auction);
        return auction;
    }

    private static Auction Load(AuctionState state) => Auction.Load(state, BidIncrementStrategies.BuiltIn.Get(state.Increment.Kind));

    private static Money MinimumNextBid(AuctionState state) => Load(state).MinimumNextBid;

    private Auction Decide(AuctionState state, UserId bidder, long amount, long? max = null, string? key = null, DateTimeOffset? at = null) =>
        Decide(state, bidder, Money.FromCents(amount), max is { } m ? Money.FromCents(m) : null, key, at);

    private Auction Decide(AuctionState state, UserId bidder, Money amount, Money? max = null, string? key = null, DateTimeOffset? at = null)
    {
        var auction = Load(state);
        var decision = auction.PlaceBid(new BidRequest(bidder, "Bidder", amount, max, key), at ?? Now);
        Assert.True(decision.Accepted, $"Test set-up: the bid should be accepted ({decision.Error?.Code}).");
        return auction;
    }

    private static AuctionCommit CommitOf(Auction decided, BidOutcomeRecord? outcome = null, CommitDeadline deadline = CommitDeadline.None) =>
        new(decided.State, decided.LoadedVersion, decided.PendingEvents, outcome is null ? [] : [outcome], deadline);

    private static AuctionCommit CommitOf(Auction decided, params BidOutcomeRecord[] outcomes) =>
        new(decided.State, decided.LoadedVersion, decided.PendingEvents, outcomes, CommitDeadline.None);

    private BidOutcomeRecord Outcome(Auction decided, string key) => Accepted(decided.PendingEvents.OfType<BidPlaced>().First(), key);

    private BidOutcomeRecord Accepted(BidPlaced own, string key) => new(own.AuctionId, own.Bid.BidderId, key, own.Seq, null, null, Now);

    private BidOutcomeRecord Rejection(AuctionId auction, UserId user, string key) =>
        new(auction, user, key, null, ErrorCodes.BidTooLow, "Too low.", Now);

    // Appends bids from rotating bidders (some with maxima, so some commits hold a proxy answer too).
    private async Task<List<AuctionEvent>> AppendBidsAsync(AuctionState auction, int commits)
    {
        var bidders = Enumerable.Range(0, 3).Select(_ => UserId.New()).ToArray();
        var state = auction;
        var events = new List<AuctionEvent>();
        for (var i = 0; i < commits; i++)
        {
            var bidder = bidders[i % bidders.Length];
            if (state.LeaderId == bidder)
            {
                bidder = bidders[(i + 1) % bidders.Length];
            }

            var amount = MinimumNextBid(state);
            var decided = Decide(state, bidder, amount, i % 3 == 0 ? amount + Money.FromCents(250) : null);
            Assert.Equal(AppendStatus.Committed, (await Store.AppendAsync(CommitOf(decided))).Status);
            events.AddRange(decided.PendingEvents);
            state = decided.State;
        }

        return events;
    }

    private async Task<List<AuctionEvent>> ReadAllEventsAsync(AuctionId id)
    {
        var all = new List<AuctionEvent>();
        while (true)
        {
            var page = await Store.GetEventsAsync(id, all.Count == 0 ? 0 : all[^1].Seq, 500);
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
        }
    }

    private static void AssertSameOutcome(BidOutcomeRecord expected, BidOutcomeRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { CreatedAt = actual.CreatedAt }, actual);
        Assert.Equal(expected.CreatedAt.UtcDateTime, actual.CreatedAt.UtcDateTime, TimeSpan.FromSeconds(1));
    }
}

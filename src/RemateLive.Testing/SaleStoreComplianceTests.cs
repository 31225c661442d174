using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Increments;
using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Sales;
using RemateLive.UseCases;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="ISaleStore"/> must honour, including three whole-system cases run through
/// the real sale writers (<see cref="LiveSales"/>) over the store under test: a hammer and a bid racing
/// (order decides), absentee bids surviving a restart, and a sale resumed on another node. Inherit it and
/// implement <see cref="CreateStoreAsync"/>; override <see cref="ReopenStoreAsync"/> when your store can be
/// opened again over the same data (a database), so the restart case really restarts.
/// </summary>
public abstract class SaleStoreComplianceTests : IAsyncLifetime
{
    private readonly List<LiveSales> _nodes = [];
    private ISaleStore? _store;

    /// <summary>The clock of the store and of every node; starts at the real time, cut to whole seconds.</summary>
    protected FakeTimeProvider Time { get; } = new(ComplianceAuctions.Truncate(DateTimeOffset.UtcNow));

    /// <summary>The store under test.</summary>
    protected ISaleStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the store under test.</summary>
    protected abstract Task<ISaleStore> CreateStoreAsync(TimeProvider time);

    /// <summary>A second instance over the same data, as a restarted process would open it (default: the same instance).</summary>
    protected virtual Task<ISaleStore> ReopenStoreAsync(ISaleStore store) => Task.FromResult(store);

    /// <inheritdoc/>
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await Subjects.DisposeAsync(_store);
    }

    private DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A new three-lot sale (starting prices 1,000, 2,000, 3,000 cents; fixed increment 100).</summary>
    protected SaleState NewSale() => new()
    {
        Id = SaleId.New(),
        Title = "Compliance sale",
        Currency = "USD",
        Increment = IncrementRule.Fixed(100),
        StartsAt = Now,
        Lots = [.. Enumerable.Range(1, 3).Select(i => new LotState { Id = LotId.New(), Number = i, Title = $"Lot {i}", Description = "Kit", StartingPrice = Money.FromCents(i * 1_000) })],
        CreatedBy = UserId.New(),
        CreatedAt = Now,
    };

    /// <summary>A node: its own sale writers and feed over <paramref name="store"/>.</summary>
    protected LiveSales Node(ISaleStore? store = null)
    {
        var options = new BiddingOptions();
        var s = store ?? Store;
        var node = new LiveSales(s, BidIncrementStrategies.BuiltIn, options, Time, new SaleFeed(s, new InMemorySaleEventBus(), options, Time, NullLogger<SaleFeed>.Instance));
        _nodes.Add(node);
        return node;
    }

    // ---- the port ------------------------------------------------------------------------------

    /// <summary>A created sale reads back equal, secrets included, at version 0 and seq 0; it is listed.</summary>
    [Fact]
    public async Task CreateThenGetReturnsTheSameSale()
    {
        var sale = NewSale() with { Paddles = [new SalePaddle(UserId.New(), 1001)] };
        sale = sale with { Lots = [sale.Lots[0] with { Absentees = [new AbsenteeBid(sale.Paddles[0].UserId, "Ana", 1001, Money.FromCents(5_000), Now)] }, .. sale.Lots.Skip(1)] };
        await Store.CreateSaleAsync(sale);

        var read = await Store.GetSaleAsync(sale.Id);
        Assert.NotNull(read);
        SaleAssert.Same(sale, read);
        Assert.Contains(await Store.ListSalesAsync(), s => s.Id == sale.Id);
        Assert.Null(await Store.GetSaleAsync(SaleId.New()));
        await Assert.ThrowsAnyAsync<Exception>(() => Store.CreateSaleAsync(sale));
    }

    /// <summary>An append stores the state and events; a stale version is refused with the current state and changes nothing.</summary>
    [Fact]
    public async Task AppendIsACompareAndSetOnTheVersion()
    {
        var sale = NewSale();
        await Store.CreateSaleAsync(sale);
        var opened = sale with { Version = 1, Seq = 1, Status = SaleStatus.Running, CurrentLotId = sale.Lots[0].Id };
        var e1 = new LotOpened(sale.Id, 1, Now, sale.Lots[0].Id, 1, "Lot 1", Money.FromCents(1_000), Money.FromCents(1_000));
        Assert.Equal(SaleAppendStatus.Committed, (await Store.AppendAsync(new SaleCommit(opened, 0, [e1]))).Status);

        var stale = await Store.AppendAsync(new SaleCommit(opened with { Version = 1, Seq = 2 }, 0, [new SalePaused(sale.Id, 2, Now)]));
        Assert.Equal(SaleAppendStatus.VersionConflict, stale.Status);
        Assert.Equal(1, stale.Current!.Version);

        // A commit without events (an absentee bid) moves the version, not the seq.
        var quiet = await Store.AppendAsync(new SaleCommit(opened with { Version = 2 }, 1, []));
        Assert.Equal(SaleAppendStatus.Committed, quiet.Status);
        var read = await Store.GetSaleAsync(sale.Id);
        Assert.Equal((2L, 1L), (read!.Version, read.Seq));
        var events = await Store.GetEventsAsync(sale.Id, 0, 10);
        var only = Assert.Single(events);
        Assert.Equal(e1, only);
        Assert.Equal(SaleAppendStatus.NotFound, (await Store.AppendAsync(new SaleCommit(NewSale() with { Version = 1 }, 0, []))).Status);
    }

    /// <summary>Events come back in seq order after any seq, paged by the limit; a malformed commit throws and stores nothing.</summary>
    [Fact]
    public async Task EventsPageInSeqOrderAndMalformedCommitsThrow()
    {
        var node = Node();
        var sale = NewSale();
        await Store.CreateSaleAsync(sale);
        await node.OpenLotAsync(sale.Id);
        for (var i = 0; i < 5; i++)
        {
            var state = await Store.GetSaleAsync(sale.Id);
            Assert.True((await node.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(sale.Lots[0].Id, state!.Lots[0].AskingPrice!.Value, 10 + i))).Succeeded);
        }

        var all = await Store.GetEventsAsync(sale.Id, 0, 100);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), all.Select(e => e.Seq));
        Assert.Equal([3L, 4L], (await Store.GetEventsAsync(sale.Id, 2, 2)).Select(e => e.Seq));
        Assert.Empty(await Store.GetEventsAsync(sale.Id, 6, 10));

        var current = (await Store.GetSaleAsync(sale.Id))!;
        var gap = new SaleCommit(current with { Version = current.Version + 1, Seq = 8 }, current.Version, [new SalePaused(sale.Id, 8, Now)]);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAsync(gap));
        Assert.Equal(current.Version, (await Store.GetSaleAsync(sale.Id))!.Version);
    }

    // ---- whole-system cases ----------------------------------------------------------------------

    /// <summary>
    /// A bid and the hammer queued together: the writer decides them in the order it received them. Bid
    /// first → the lot is sold to that bid; hammer first → the bid is refused because the lot is gone.
    /// </summary>
    [Fact]
    public async Task AHammerAndABidRacingAreDecidedByOrder()
    {
        var node = Node();
        var sale = NewSale();
        await Store.CreateSaleAsync(sale);
        var bidder = UserId.New();
        var lot1 = sale.Lots[0].Id;
        await node.OpenLotAsync(sale.Id);
        Assert.True((await node.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot1, Money.FromCents(1_000), 7))).Succeeded);

        // Bid first, then the hammer, neither awaited before the other is queued.
        var bid = node.PlaceBidAsync(sale.Id, SaleBidRequest.Online(lot1, Money.FromCents(1_100), bidder, "Ana"));
        var hammer = node.SellAsync(sale.Id);
        Assert.True((await bid).Succeeded);
        var sold = Assert.IsType<LotSold>(Assert.Single((await hammer).Events));
        Assert.Equal((1_100L, BidSource.Online, (UserId?)bidder), (sold.Price.Cents, sold.Source, sold.BuyerId));

        // Hammer first, then a bid: the bid finds no lot on offer.
        var lot2 = sale.Lots[1].Id;
        await node.OpenLotAsync(sale.Id);
        Assert.True((await node.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot2, Money.FromCents(2_000), 7))).Succeeded);
        var hammer2 = node.SellAsync(sale.Id);
        var late = node.PlaceBidAsync(sale.Id, SaleBidRequest.Online(lot2, Money.FromCents(2_100), bidder, "Ana"));
        Assert.True((await hammer2).Succeeded);
        Assert.Equal(SaleErrorCodes.LotNotOpen, (await late).Error?.Code);
        var state = (await Store.GetSaleAsync(sale.Id))!;
        Assert.Equal((LotStatus.Sold, 2_000L, 7), (state.Lots[1].Status, state.Lots[1].Leader!.Amount.Cents, state.Lots[1].Leader!.Paddle));

        // Across two nodes the store's version check keeps it consistent: either the bid won the lot or it was refused.
        var other = Node();
        var lot3 = sale.Lots[2].Id;
        await node.OpenLotAsync(sale.Id);
        Assert.True((await node.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot3, Money.FromCents(3_000), 7))).Succeeded);
        var racingBid = other.PlaceBidAsync(sale.Id, SaleBidRequest.Online(lot3, Money.FromCents(3_100), bidder, "Ana"));
        var racingHammer = node.SellAsync(sale.Id);
        var (b, h) = (await racingBid, await racingHammer);
        var final = Assert.IsType<LotSold>((await Store.GetEventsAsync(sale.Id, 0, 100)).Single(e => e is LotSold s && s.LotId == lot3));
        Assert.True(h.Succeeded);
        if (b.Succeeded)
        {
            Assert.Equal((3_100L, (UserId?)bidder), (final.Price.Cents, final.BuyerId));
        }
        else
        {
            Assert.Contains(b.Error!.Code, new[] { SaleErrorCodes.LotNotOpen, SaleErrorCodes.SaleEnded }); // the last lot: the sale ended with it
            Assert.Equal((3_000L, 7), (final.Price.Cents, final.Paddle));
        }

        SaleAssert.GapFree(await Store.GetEventsAsync(sale.Id, 0, 1_000));
    }

    /// <summary>Absentee maxima left before a restart compete when the lot opens on the restarted node; the amounts never appear in events.</summary>
    [Fact]
    public async Task AbsenteeBidsSurviveARestartAndCompete()
    {
        var sale = NewSale();
        await Store.CreateSaleAsync(sale);
        var (ana, ben) = (UserId.New(), UserId.New());
        var lot = sale.Lots[0].Id;
        var before = Node();
        Assert.True((await before.PlaceAbsenteeBidAsync(sale.Id, lot, ana, "Ana", Money.FromCents(1_500))).Succeeded);
        Assert.True((await before.PlaceAbsenteeBidAsync(sale.Id, lot, ben, "Ben", Money.FromCents(1_800))).Succeeded);
        Assert.Empty(await Store.GetEventsAsync(sale.Id, 0, 10)); // secret: no public event
        await before.DisposeAsync();

        var after = Node(await ReopenStoreAsync(Store));
        var opened = await after.OpenLotAsync(sale.Id);
        Assert.True(opened.Succeeded);
        var bid = Assert.IsType<SaleBidPlaced>(opened.Events[^1]);
        Assert.Equal((BidSource.Absentee, (UserId?)ben, 1_600L, 1_700L), (bid.Source, bid.BidderId, bid.Amount.Cents, bid.AskingPrice.Cents));

        // A floor bid at 1,700 is answered by Ben's maximum at 1,800; at 1,900 the floor wins.
        Assert.True((await after.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot, Money.FromCents(1_700), 3))).Succeeded);
        var state = (await Store.GetSaleAsync(sale.Id))!;
        Assert.Equal((BidSource.Absentee, 1_800L, 1_900L), (state.Lots[0].Leader!.Source, state.Lots[0].Leader!.Amount.Cents, state.Lots[0].AskingPrice!.Value.Cents));
        Assert.True((await after.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot, Money.FromCents(1_900), 3))).Succeeded);
        var sold = Assert.IsType<LotSold>(Assert.Single((await after.SellAsync(sale.Id)).Events));
        Assert.Equal((BidSource.Floor, 3, 1_900L), (sold.Source, sold.Paddle, sold.Price.Cents));
    }

    /// <summary>A sale paused on one node is resumed and finished on another; the first node, with stale state, re-decides on the store's state.</summary>
    [Fact]
    public async Task ASaleIsResumedOnAnotherNode()
    {
        var sale = NewSale();
        await Store.CreateSaleAsync(sale);
        var (a, b) = (Node(), Node());
        var lot = sale.Lots[0].Id;
        await a.OpenLotAsync(sale.Id);
        Assert.True((await a.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot, Money.FromCents(1_000), 5))).Succeeded);
        Assert.True((await a.PauseAsync(sale.Id)).Succeeded);

        Assert.Equal(SaleErrorCodes.SalePaused, (await b.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot, Money.FromCents(1_100), 6))).Error?.Code);
        Assert.True((await b.ResumeAsync(sale.Id)).Succeeded);
        Assert.True((await b.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot, Money.FromCents(1_100), 6))).Succeeded);
        Assert.True((await b.SellAsync(sale.Id)).Succeeded);

        // Node A still holds the paused state in its writer: the store's version check makes it decide again on B's.
        var stale = await a.PlaceBidAsync(sale.Id, SaleBidRequest.Floor(lot, Money.FromCents(1_200), 5));
        Assert.Equal(SaleErrorCodes.LotNotOpen, stale.Error?.Code);
        var opened = await a.OpenLotAsync(sale.Id);
        Assert.Equal(sale.Lots[1].Id, Assert.IsType<LotOpened>(Assert.Single(opened.Events)).LotId);

        var events = await Store.GetEventsAsync(sale.Id, 0, 100);
        SaleAssert.GapFree(events);
        Assert.Equal(["lot_opened", "bid_placed", "sale_paused", "sale_resumed", "bid_placed", "lot_sold", "lot_opened"], events.Select(e => e.TypeName));
    }
}

/// <summary>Sale comparisons for the kit.</summary>
internal static class SaleAssert
{
    public static void Same(SaleState expected, SaleState actual)
    {
        Assert.Equal(expected with { Lots = [], Paddles = [] }, actual with { Lots = [], Paddles = [] });
        Assert.Equal(expected.Paddles, actual.Paddles);
        Assert.Equal(expected.Lots.Count, actual.Lots.Count);
        for (var i = 0; i < expected.Lots.Count; i++)
        {
            Assert.Equal(expected.Lots[i] with { Absentees = [] }, actual.Lots[i] with { Absentees = [] });
            Assert.Equal(expected.Lots[i].Absentees, actual.Lots[i].Absentees);
        }
    }

    public static void GapFree(IReadOnlyList<SaleEvent> events) =>
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
}

using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Sales;

namespace RemateLive.Core.Tests.Sales;

/// <summary>The live-sale rules, on the aggregate alone (no store, no clock).</summary>
public sealed class SaleRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);
    private static readonly UserId Ana = UserId.New();
    private static readonly UserId Ben = UserId.New();

    private static SaleState NewSale(params long[] startingPrices) => new()
    {
        Id = SaleId.New(),
        Title = "Estate sale",
        Currency = "USD",
        Increment = IncrementRule.Fixed(100),
        StartsAt = T0,
        Lots = [.. startingPrices.Select((p, i) => new LotState { Id = LotId.New(), Number = i + 1, Title = $"Lot {i + 1}", StartingPrice = Money.FromCents(p) })],
        CreatedBy = UserId.New(),
        CreatedAt = T0,
    };

    private static Sale Load(SaleState state) => Sale.Load(state, new FixedIncrement());

    private static Sale Opened(params long[] prices)
    {
        var sale = Load(NewSale(prices.Length == 0 ? [1_000, 2_000] : prices));
        Assert.Null(sale.OpenLot(null, T0));
        return sale;
    }

    private static Money M(long cents) => Money.FromCents(cents);

    private static LotId Lot(Sale sale, int index = 0) => sale.State.Lots[index].Id;

    [Fact]
    public void OpeningOffersTheNextPendingLotAtItsStartingPriceAndStartsTheSale()
    {
        var sale = Opened();
        var opened = Assert.IsType<LotOpened>(Assert.Single(sale.PendingEvents));
        Assert.Equal((1L, 1, 1_000L), (opened.Seq, opened.LotNumber, opened.AskingPrice.Cents));
        Assert.Equal(SaleStatus.Running, sale.State.Status);
        Assert.Equal(LotStatus.Open, sale.State.CurrentLot!.Status);
        Assert.Equal(SaleErrorCodes.LotInProgress, sale.OpenLot(null, T0)?.Code);
    }

    [Fact]
    public void ABidMustBeAtTheAskingPriceAndMovesItByTheIncrement()
    {
        var sale = Opened();
        Assert.Equal(SaleErrorCodes.AskingPriceChanged, sale.PlaceBid(SaleBidRequest.Online(Lot(sale), M(900), Ana, "Ana"), T0)?.Code);
        Assert.Equal(SaleErrorCodes.AskingPriceChanged, sale.PlaceBid(SaleBidRequest.Online(Lot(sale), M(1_100), Ana, "Ana"), T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Online(Lot(sale), M(1_000), Ana, "Ana"), T0));
        var bid = Assert.IsType<SaleBidPlaced>(sale.PendingEvents[^1]);
        Assert.Equal((BidSource.Online, Sale.FirstOnlinePaddle, 1_100L, 1), (bid.Source, bid.Paddle, bid.AskingPrice.Cents, bid.BidCount));
        Assert.Equal(SaleErrorCodes.AlreadyLeading, sale.PlaceBid(SaleBidRequest.Online(Lot(sale), M(1_100), Ana, "Ana"), T0)?.Code);
        Assert.Equal(SaleErrorCodes.LotNotOpen, sale.PlaceBid(SaleBidRequest.Floor(Lot(sale, 1), M(1_100), 4), T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_100), 4), T0));
        Assert.Equal(SaleErrorCodes.AlreadyLeading, sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_200), 4), T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_200), 9), T0));
    }

    [Fact]
    public void AFloorBidNeedsAPaddle()
    {
        var sale = Opened();
        Assert.Equal(ErrorCodes.ValidationFailed, sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_000), 0), T0)?.Code);
    }

    [Fact]
    public void TheAuctioneerMayJumpTheAskingPriceOrDropItBeforeAnyBid()
    {
        var sale = Opened();
        Assert.Null(sale.SetAskingPrice(M(800), T0));
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(800), 1), T0));
        Assert.Equal(ErrorCodes.InvalidAmount, sale.SetAskingPrice(M(800), T0)?.Code);
        Assert.Null(sale.SetAskingPrice(M(1_500), T0));
        Assert.Equal(1_500L, Assert.IsType<AskingPriceSet>(sale.PendingEvents[^1]).AskingPrice.Cents);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_500), 2), T0));
        Assert.Equal(1_600L, sale.State.CurrentLot!.AskingPrice!.Value.Cents);
    }

    [Fact]
    public void FairWarningIsReopenedByABidAndTheHammerSellsToTheLeader()
    {
        var sale = Opened();
        Assert.Equal(SaleErrorCodes.NoLeadingBid, sale.Sell(T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_000), 1), T0));
        Assert.Null(sale.FairWarning(T0));
        Assert.Equal(SaleErrorCodes.LotNotOpen, sale.FairWarning(T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Online(Lot(sale), M(1_100), Ana, "Ana"), T0));
        Assert.Equal(LotStatus.Open, sale.State.CurrentLot!.Status);
        Assert.Null(sale.FairWarning(T0));
        Assert.Null(sale.Sell(T0));
        var sold = Assert.IsType<LotSold>(sale.PendingEvents[^1]);
        Assert.Equal((1_100L, BidSource.Online, (UserId?)Ana), (sold.Price.Cents, sold.Source, sold.BuyerId));
        Assert.Null(sale.State.CurrentLotId);
        Assert.Equal(SaleErrorCodes.LotNotOpen, sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_200), 2), T0)?.Code);
    }

    [Fact]
    public void TheLastLotResolvedEndsTheSale()
    {
        var sale = Opened(1_000, 2_000, 3_000);
        Assert.Null(sale.Withdraw(Lot(sale, 2), T0));
        Assert.Null(sale.Pass(T0));
        Assert.Null(sale.OpenLot(null, T0));
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale, 1), M(2_000), 1), T0));
        Assert.Null(sale.Sell(T0));
        var ended = Assert.IsType<SaleEnded>(sale.PendingEvents[^1]);
        Assert.Equal((1, 1, 1), (ended.Sold, ended.Passed, ended.Withdrawn));
        Assert.Equal(SaleStatus.Ended, sale.State.Status);
        Assert.Equal(SaleErrorCodes.SaleEnded, sale.OpenLot(null, T0)?.Code);
        Assert.Equal(Enumerable.Range(1, sale.PendingEvents.Count).Select(i => (long)i), sale.PendingEvents.Select(e => e.Seq));
    }

    [Fact]
    public void APausedSaleRefusesBidsAndLotCommandsUntilResumed()
    {
        var sale = Opened();
        Assert.Null(sale.Pause(T0));
        Assert.Equal(SaleErrorCodes.SaleNotRunning, sale.Pause(T0)?.Code);
        Assert.Equal(SaleErrorCodes.SalePaused, sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_000), 1), T0)?.Code);
        Assert.Equal(SaleErrorCodes.SalePaused, sale.Sell(T0)?.Code);
        Assert.Equal(SaleErrorCodes.SalePaused, sale.FairWarning(T0)?.Code);
        Assert.Null(sale.Resume(T0));
        Assert.Equal(SaleErrorCodes.SaleNotRunning, sale.Resume(T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_000), 1), T0));
        Assert.Equal(["lot_opened", "sale_paused", "sale_resumed", "bid_placed"], sale.PendingEvents.Select(e => e.TypeName));
    }

    [Fact]
    public void AbsenteeBidsAreTakenOnlyBeforeTheLotOpensAndRaiseNoEvent()
    {
        var sale = Load(NewSale(1_000, 2_000));
        Assert.Equal(ErrorCodes.BidTooLow, sale.PlaceAbsenteeBid(Lot(sale), Ana, "Ana", M(900), T0)?.Code);
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale), Ana, "Ana", M(1_500), T0));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale), Ana, "Ana", M(1_700), T0)); // replaces her earlier one
        Assert.Empty(sale.PendingEvents);
        Assert.True(sale.Changed);
        Assert.Equal(1_700L, Assert.Single(sale.State.Lots[0].Absentees).MaxAmount.Cents);
        Assert.Null(sale.OpenLot(null, T0));
        Assert.Equal(SaleErrorCodes.LotNotPending, sale.PlaceAbsenteeBid(Lot(sale), Ben, "Ben", M(5_000), T0)?.Code);
    }

    [Fact]
    public void ASingleAbsenteeBidsTheStartingPriceAndAnswersEachLiveBid()
    {
        var sale = Load(NewSale(1_000));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale), Ana, "Ana", M(1_250), T0));
        Assert.Null(sale.OpenLot(null, T0));
        var first = Assert.IsType<SaleBidPlaced>(sale.PendingEvents[^1]);
        Assert.Equal((BidSource.Absentee, 1_000L), (first.Source, first.Amount.Cents));

        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_100), 3), T0));
        var answer = Assert.IsType<SaleBidPlaced>(sale.PendingEvents[^1]);
        Assert.Equal((BidSource.Absentee, 1_200L, 1_300L), (answer.Source, answer.Amount.Cents, answer.AskingPrice.Cents));

        // Her maximum (1,250) cannot reach 1,400: the floor keeps the lead.
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_300), 3), T0));
        Assert.Equal(BidSource.Floor, sale.State.CurrentLot!.Leader!.Source);
        Assert.DoesNotContain(sale.PendingEvents, e => e is SaleBidPlaced { Amount.Cents: 1_250 });
    }

    [Fact]
    public void TwoAbsenteesCompeteAtOpeningAndTheEarlierWinsATie()
    {
        var sale = Load(NewSale(1_000, 1_000));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale), Ana, "Ana", M(1_500), T0));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale), Ben, "Ben", M(2_000), T0.AddSeconds(1)));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale, 1), Ana, "Ana", M(1_800), T0));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale, 1), Ben, "Ben", M(1_800), T0.AddSeconds(1)));

        Assert.Null(sale.OpenLot(null, T0));
        var bid = Assert.IsType<SaleBidPlaced>(sale.PendingEvents[^1]);
        Assert.Equal(((UserId?)Ben, 1_600L), (bid.BidderId, bid.Amount.Cents)); // one increment over Ana's 1,500
        Assert.Null(sale.Pass(T0));

        Assert.Null(sale.OpenLot(null, T0));
        var tie = Assert.IsType<SaleBidPlaced>(sale.PendingEvents[^1]);
        Assert.Equal(((UserId?)Ana, 1_800L), (tie.BidderId, tie.Amount.Cents));
    }

    [Fact]
    public void AnAbsenteeNeverBidsAgainstItsOwnerAndStopsAtItsMaximum()
    {
        var sale = Load(NewSale(1_000));
        Assert.Null(sale.PlaceAbsenteeBid(Lot(sale), Ana, "Ana", M(3_000), T0));
        Assert.Null(sale.OpenLot(null, T0));
        Assert.Equal(SaleErrorCodes.AlreadyLeading, sale.PlaceBid(SaleBidRequest.Online(Lot(sale), M(1_100), Ana, "Ana"), T0)?.Code);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(1_100), 8), T0));
        Assert.Equal((BidSource.Absentee, 1_200L), (sale.State.CurrentLot!.Leader!.Source, sale.State.CurrentLot.Leader.Amount.Cents));

        // A jump while her maximum leads makes no bid; the floor's bid at the jumped price is answered.
        var count = sale.PendingEvents.Count;
        Assert.Null(sale.SetAskingPrice(M(2_900), T0));
        Assert.Equal(count + 1, sale.PendingEvents.Count);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(2_900), 8), T0));
        Assert.Equal(3_000L, sale.State.CurrentLot!.Leader!.Amount.Cents);
        Assert.Null(sale.PlaceBid(SaleBidRequest.Floor(Lot(sale), M(3_100), 8), T0));
        Assert.Equal((BidSource.Floor, 3_100L), (sale.State.CurrentLot!.Leader!.Source, sale.State.CurrentLot.Leader.Amount.Cents));
    }

    [Fact]
    public void WithdrawingTheLotOnOfferFreesTheRostrum()
    {
        var sale = Opened();
        Assert.Null(sale.Withdraw(Lot(sale), T0));
        Assert.Null(sale.State.CurrentLotId);
        Assert.Equal(SaleErrorCodes.LotNotPending, sale.Withdraw(Lot(sale), T0)?.Code);
        Assert.Null(sale.OpenLot(Lot(sale, 1), T0));
        Assert.Equal(SaleErrorCodes.LotInProgress, sale.OpenLot(Lot(sale), T0)?.Code);
    }
}

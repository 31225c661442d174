using RemateLive.Domain;
using RemateLive.Increments;

namespace RemateLive.Sales;

/// <summary>
/// The live-sale aggregate: every rule of a remate lives here. Load a <see cref="SaleState"/>, call one or
/// more commands with the current time, then commit <see cref="State"/> (version + 1) with
/// <see cref="PendingEvents"/>. A command answers null on success or a <see cref="DomainError"/> (and then
/// changes nothing). It never reads a clock or touches storage.
/// </summary>
public sealed class Sale
{
    /// <summary>Online and absentee paddles are numbered from here up, so they do not meet the room's paddles.</summary>
    public const int FirstOnlinePaddle = 1001;

    private readonly IBidIncrementStrategy _strategy;
    private readonly List<SaleEvent> _events = [];

    private Sale(SaleState state, IBidIncrementStrategy strategy)
    {
        State = state;
        LoadedVersion = state.Version;
        _strategy = strategy;
    }

    /// <summary>The current state (the loaded one plus every successful command).</summary>
    public SaleState State { get; private set; }

    /// <summary>The version the aggregate was loaded at (the commit's expected version).</summary>
    public long LoadedVersion { get; }

    /// <summary>Events raised since loading, seq-contiguous after the loaded state's seq.</summary>
    public IReadOnlyList<SaleEvent> PendingEvents => _events;

    /// <summary>Whether any command changed the state since loading (an absentee bid changes it without an event).</summary>
    public bool Changed { get; private set; }

    /// <summary>Wraps a stored state with its increment strategy.</summary>
    public static Sale Load(SaleState state, IBidIncrementStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(strategy);
        return new Sale(state, strategy);
    }

    /// <summary>The state to commit: <see cref="State"/> one version after the loaded one.</summary>
    public SaleState ToCommit() => State with { Version = LoadedVersion + 1 };

    /// <summary>Offers <paramref name="lotId"/> (or, when null, the next pending lot in catalogue order) at its starting price; absentee maxima then compete.</summary>
    public DomainError? OpenLot(LotId? lotId, DateTimeOffset now)
    {
        if (Guard(requireRunning: false) is { } error)
        {
            return error;
        }

        if (State.CurrentLot is { } current)
        {
            return new(SaleErrorCodes.LotInProgress, $"Lot {current.Number} is on offer: sell, pass or withdraw it first.");
        }

        var lot = lotId is { } id ? State.FindLot(id) : State.Lots.FirstOrDefault(l => l.Status == LotStatus.Pending);
        if (lot is null)
        {
            return lotId is null ? new(SaleErrorCodes.NoPendingLots, "Every lot has been offered.") : new(ErrorCodes.NotFound, "No such lot in this sale.");
        }

        if (lot.Status != LotStatus.Pending)
        {
            return new(SaleErrorCodes.LotNotPending, $"Lot {lot.Number} has already been offered.");
        }

        var opened = lot with { Status = LotStatus.Open, AskingPrice = lot.StartingPrice };
        State = Replace(opened) with { Status = SaleStatus.Running, CurrentLotId = lot.Id };
        Raise(seq => new LotOpened(State.Id, seq, now, lot.Id, lot.Number, lot.Title, lot.StartingPrice, lot.StartingPrice));
        AbsenteesAnswer(now);
        return null;
    }

    /// <summary>
    /// The auctioneer sets the asking price of the lot on offer: a jump above the suggestion, or a drop while
    /// nobody has bid. With a leading bid it must stay above that bid.
    /// </summary>
    public DomainError? SetAskingPrice(Money asking, DateTimeOffset now)
    {
        if (OnOffer(out var lot) is { } error)
        {
            return error;
        }

        if (asking.Cents <= 0 || (lot!.Leader is { } leader && asking <= leader.Amount))
        {
            return new(ErrorCodes.InvalidAmount, "The asking price must be positive and above the leading bid.");
        }

        State = Replace(lot with { AskingPrice = asking });
        Raise(seq => new AskingPriceSet(State.Id, seq, now, lot.Id, asking));
        AbsenteesAnswer(now);
        return null;
    }

    /// <summary>Takes a bid at the asking price from an online bidder or the floor; then the strongest absentee may answer.</summary>
    public DomainError? PlaceBid(SaleBidRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (OnOffer(out var lot) is { } error)
        {
            return error;
        }

        if (lot!.Id != request.LotId)
        {
            return new(SaleErrorCodes.LotNotOpen, $"That lot is not on offer; lot {lot.Number} is.");
        }

        if (request.Source == BidSource.Absentee
            || (request.Source == BidSource.Online && request.BidderId is null)
            || (request.Source == BidSource.Floor && (request.FloorPaddle <= 0 || request.BidderId is not null)))
        {
            return new(ErrorCodes.ValidationFailed, "An online bid needs a bidder; a floor bid needs a positive paddle number.");
        }

        if (request.Amount != lot.AskingPrice)
        {
            return new(SaleErrorCodes.AskingPriceChanged, $"The asking price is now {lot.AskingPrice}.");
        }

        var leading = request.Source == BidSource.Floor
            ? lot.Leader is { Source: BidSource.Floor } floor && floor.Paddle == request.FloorPaddle
            : lot.Leader?.BidderId == request.BidderId;
        if (leading)
        {
            return new(SaleErrorCodes.AlreadyLeading, "You already hold the leading bid.");
        }

        var paddle = request.Source == BidSource.Floor ? request.FloorPaddle : AssignPaddle(request.BidderId!.Value);
        Accept(new LotBid(request.Amount, request.Source, paddle, request.BidderId, request.BidderName), now);
        AbsenteesAnswer(now);
        return null;
    }

    /// <summary>"Going once, going twice": the lot on offer enters fair warning (a later bid re-opens it).</summary>
    public DomainError? FairWarning(DateTimeOffset now)
    {
        if (OnOffer(out var lot) is { } error)
        {
            return error;
        }

        if (lot!.Status == LotStatus.FairWarning)
        {
            return new(SaleErrorCodes.LotNotOpen, "Fair warning has already been given.");
        }

        State = Replace(lot with { Status = LotStatus.FairWarning });
        Raise(seq => new FairWarningGiven(State.Id, seq, now, lot.Id, lot.Leader?.Amount));
        return null;
    }

    /// <summary>The hammer: sells the lot on offer to its leading bid (whatever was decided before it, by order).</summary>
    public DomainError? Sell(DateTimeOffset now)
    {
        if (OnOffer(out var lot) is { } error)
        {
            return error;
        }

        if (lot!.Leader is not { } winner)
        {
            return new(SaleErrorCodes.NoLeadingBid, "Nobody has bid on this lot; pass it instead.");
        }

        State = Replace(lot with { Status = LotStatus.Sold, AskingPrice = null }) with { CurrentLotId = null };
        Raise(seq => new LotSold(State.Id, seq, now, lot.Id, winner.Amount, winner.Source, winner.Paddle, winner.BidderId, winner.BidderName));
        EndIfDone(now);
        return null;
    }

    /// <summary>Passes the lot on offer (not sold), with or without bids.</summary>
    public DomainError? Pass(DateTimeOffset now)
    {
        if (OnOffer(out var lot) is { } error)
        {
            return error;
        }

        State = Replace(lot! with { Status = LotStatus.Passed, AskingPrice = null }) with { CurrentLotId = null };
        Raise(seq => new LotPassed(State.Id, seq, now, lot.Id, lot.Leader?.Amount));
        EndIfDone(now);
        return null;
    }

    /// <summary>Takes a pending lot, or the lot on offer, out of the sale.</summary>
    public DomainError? Withdraw(LotId lotId, DateTimeOffset now)
    {
        if (Guard(requireRunning: false) is { } error)
        {
            return error;
        }

        var lot = State.FindLot(lotId);
        if (lot is null)
        {
            return new(ErrorCodes.NotFound, "No such lot in this sale.");
        }

        if (lot.Status is not (LotStatus.Pending or LotStatus.Open or LotStatus.FairWarning))
        {
            return new(SaleErrorCodes.LotNotPending, $"Lot {lot.Number} is already {lot.Status.ToString().ToLowerInvariant()}.");
        }

        var next = Replace(lot with { Status = LotStatus.Withdrawn, AskingPrice = null });
        State = State.CurrentLotId == lot.Id ? next with { CurrentLotId = null } : next;
        Raise(seq => new LotWithdrawn(State.Id, seq, now, lot.Id));
        if (State.Status == SaleStatus.Running)
        {
            EndIfDone(now);
        }

        return null;
    }

    /// <summary>Pauses a running sale: bids and lot commands are refused until <see cref="Resume"/>.</summary>
    public DomainError? Pause(DateTimeOffset now)
    {
        if (State.Status != SaleStatus.Running)
        {
            return new(SaleErrorCodes.SaleNotRunning, "Only a running sale can be paused.");
        }

        State = State with { Status = SaleStatus.Paused };
        Raise(seq => new SalePaused(State.Id, seq, now));
        return null;
    }

    /// <summary>Resumes a paused sale where it stopped.</summary>
    public DomainError? Resume(DateTimeOffset now)
    {
        if (State.Status != SaleStatus.Paused)
        {
            return new(SaleErrorCodes.SaleNotRunning, "Only a paused sale can be resumed.");
        }

        State = State with { Status = SaleStatus.Running };
        Raise(seq => new SaleResumed(State.Id, seq, now));
        return null;
    }

    /// <summary>
    /// Leaves (or replaces) the bidder's secret maximum on a lot that has not opened yet. It is never shown;
    /// when the lot opens it bids for its owner at the asking price, as far as the maximum allows.
    /// </summary>
    public DomainError? PlaceAbsenteeBid(LotId lotId, UserId bidder, string bidderName, Money maxAmount, DateTimeOffset now)
    {
        if (State.Status == SaleStatus.Ended)
        {
            return new(SaleErrorCodes.SaleEnded, "The sale has ended.");
        }

        var lot = State.FindLot(lotId);
        if (lot is null)
        {
            return new(ErrorCodes.NotFound, "No such lot in this sale.");
        }

        if (lot.Status != LotStatus.Pending)
        {
            return new(SaleErrorCodes.LotNotPending, "Absentee bids are taken only before the lot opens.");
        }

        if (maxAmount < lot.StartingPrice)
        {
            return new(ErrorCodes.BidTooLow, $"An absentee bid must reach the starting price ({lot.StartingPrice}).");
        }

        var paddle = AssignPaddle(bidder);
        var absentees = lot.Absentees.Where(a => a.BidderId != bidder).Append(new AbsenteeBid(bidder, bidderName, paddle, maxAmount, now)).ToArray();
        State = Replace(State.FindLot(lotId)! with { Absentees = absentees });
        Changed = true;
        return null;
    }

    // The one absentee rule: the strongest maximum (then the earliest) bids for its owner at the asking price
    // unless it already leads; against a second absentee it goes straight to one increment above that
    // maximum (an equal maximum loses to the earlier one). Maxima are never shown, only the bids they make.
    private void AbsenteesAnswer(DateTimeOffset now)
    {
        var lot = State.CurrentLot!;
        if (lot.Absentees.Count == 0 || lot.AskingPrice is not { } asking)
        {
            return;
        }

        var ranked = lot.Absentees.OrderByDescending(a => a.MaxAmount).ThenBy(a => a.PlacedAt).ToArray();
        var top = ranked[0];
        if (top.MaxAmount < asking || lot.Leader?.BidderId == top.BidderId)
        {
            return;
        }

        var price = asking;
        if (ranked.Length > 1 && ranked[1].MaxAmount >= asking)
        {
            var second = ranked[1].MaxAmount;
            price = top.MaxAmount == second ? second : Money.Max(asking, Money.Min(top.MaxAmount, _strategy.MinimumNextBid(second, State.Increment)));
        }

        Accept(new LotBid(price, BidSource.Absentee, top.Paddle, top.BidderId, top.BidderName), now);
    }

    private void Accept(LotBid bid, DateTimeOffset now)
    {
        var lot = State.CurrentLot!;
        var asking = _strategy.MinimumNextBid(bid.Amount, State.Increment);
        var next = lot with { Status = LotStatus.Open, Leader = bid, AskingPrice = asking, BidCount = lot.BidCount + 1 };
        State = Replace(next);
        Raise(seq => new SaleBidPlaced(State.Id, seq, now, lot.Id, BidId.New(), bid.Amount, bid.Source, bid.Paddle, bid.BidderId, bid.BidderName, asking, next.BidCount));
    }

    private void EndIfDone(DateTimeOffset now)
    {
        if (State.CurrentLotId is not null || State.Lots.Any(l => l.Status == LotStatus.Pending))
        {
            return;
        }

        State = State with { Status = SaleStatus.Ended };
        Raise(seq => new SaleEnded(
            State.Id,
            seq,
            now,
            State.Lots.Count(l => l.Status == LotStatus.Sold),
            State.Lots.Count(l => l.Status == LotStatus.Passed),
            State.Lots.Count(l => l.Status == LotStatus.Withdrawn)));
    }

    private DomainError? Guard(bool requireRunning) => State.Status switch
    {
        SaleStatus.Ended => new(SaleErrorCodes.SaleEnded, "The sale has ended."),
        SaleStatus.Paused => new(SaleErrorCodes.SalePaused, "The sale is paused."),
        SaleStatus.Scheduled when requireRunning => new(SaleErrorCodes.LotNotOpen, "No lot is on offer yet."),
        _ => null,
    };

    // A running sale with a lot open or under fair warning.
    private DomainError? OnOffer(out LotState? lot)
    {
        lot = State.CurrentLot;
        return Guard(requireRunning: true)
            ?? (lot is { Status: LotStatus.Open or LotStatus.FairWarning } ? null : new(SaleErrorCodes.LotNotOpen, "No lot is on offer."));
    }

    private int AssignPaddle(UserId user)
    {
        if (State.PaddleOf(user) is { } existing)
        {
            return existing;
        }

        var number = FirstOnlinePaddle + State.Paddles.Count;
        State = State with { Paddles = [.. State.Paddles, new SalePaddle(user, number)] };
        Changed = true;
        return number;
    }

    private SaleState Replace(LotState lot) =>
        State with { Lots = [.. State.Lots.Select(l => l.Id == lot.Id ? lot : l)] };

    private void Raise(Func<long, SaleEvent> create)
    {
        var e = create(State.Seq + 1);
        State = State with { Seq = e.Seq };
        _events.Add(e);
        Changed = true;
    }
}

using RemateLive.Events;
using RemateLive.Increments;

namespace RemateLive.Domain;

/// <summary>
/// The auction aggregate: loads a state, enforces the bidding rules and produces the next state with
/// the events that explain it (<see cref="PendingEvents"/>). It never touches storage or the clock:
/// the caller passes <c>now</c> and commits the result with an expected version.
/// </summary>
public sealed class Auction
{
    private readonly IBidIncrementStrategy _strategy;
    private readonly List<AuctionEvent> _pending = [];

    private Auction(AuctionState state, IBidIncrementStrategy strategy)
    {
        State = state;
        LoadedVersion = state.Version;
        _strategy = strategy;
    }

    /// <summary>The current state, including pending changes.</summary>
    public AuctionState State { get; private set; }

    /// <summary>The version this instance was loaded at: the expected version when committing.</summary>
    public long LoadedVersion { get; }

    /// <summary>Events produced since loading, in seq order.</summary>
    public IReadOnlyList<AuctionEvent> PendingEvents => _pending;

    /// <summary>Wraps a stored state.</summary>
    public static Auction Load(AuctionState state, IBidIncrementStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(strategy);
        if (!string.Equals(state.Increment.Kind, strategy.Kind, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Strategy '{strategy.Kind}' does not match the auction's '{state.Increment.Kind}'.", nameof(strategy));
        }

        return new Auction(state, strategy);
    }

    /// <summary>The minimum acceptable next bid: the starting price until the first bid.</summary>
    public Money MinimumNextBid =>
        State.CurrentPrice is { } price ? _strategy.MinimumNextBid(price, State.Increment) : State.StartingPrice;

    /// <summary>Null without a reserve; otherwise whether the current price reaches it.</summary>
    public bool? ReserveMet =>
        State.ReservePrice is { } reserve ? State.CurrentPrice is { } p && p >= reserve : null;

    /// <summary>Buy-now is offered until the first bid (no reserve) or until the reserve is met.</summary>
    public Money? BuyNowOffered =>
        State.BuyNowPrice is { } buyNow
        && State.Status is AuctionStatus.Open or AuctionStatus.Scheduled
        && (State.ReservePrice is null ? State.BidCount == 0 : ReserveMet != true)
            ? buyNow
            : null;

    /// <summary>The status as bidders see it at <paramref name="now"/>: a scheduled auction is open once it starts.</summary>
    public AuctionStatus EffectiveStatus(DateTimeOffset now) => StatusAt(State, now);

    /// <summary>The status bidders see at <paramref name="now"/>: a scheduled auction past its start is open.</summary>
    public static AuctionStatus StatusAt(AuctionState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Status == AuctionStatus.Scheduled && now >= state.StartsAt ? AuctionStatus.Open : state.Status;
    }

    /// <summary>The public view at <paramref name="now"/>: no reserve amount, no maxima.</summary>
    public AuctionView ToView(DateTimeOffset now) => new(
        State.Id,
        State.Title,
        State.Description,
        State.ImageUrl,
        State.Currency,
        EffectiveStatus(now),
        State.StartingPrice.Cents,
        State.CurrentPrice?.Cents ?? State.StartingPrice.Cents,
        MinimumNextBid.Cents,
        State.BidCount,
        State.LeaderName,
        ReserveMet,
        BuyNowOffered?.Cents,
        State.StartsAt,
        State.EndsAt,
        State.Extensions,
        State.Version,
        State.SellerId,
        State.WinnerName,
        now,
        State.LeaderPaddle,
        State.WinnerPaddle,
        State.AnonymousBidding);

    /// <summary>
    /// Decides a bid. On success the state and <see cref="PendingEvents"/> change and the bidder's own
    /// <see cref="BidPlaced"/> is returned; on failure nothing changes.
    /// </summary>
    public BidDecision PlaceBid(BidRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RaisesMaximumOnly)
        {
            return RaiseMaximum(request, now);
        }

        var s = State;
        if (OpenFor(now) is { } closed)
        {
            return BidDecision.Reject(closed.Code, closed.Message);
        }

        if (request.BidderId == s.SellerId)
        {
            return BidDecision.Reject(ErrorCodes.SellerCannotBid, "The seller cannot bid on their own auction.");
        }

        var amount = request.Amount;
        var max = request.MaxAmount ?? amount;
        if (amount.Cents <= 0 || max < amount)
        {
            return BidDecision.Reject(ErrorCodes.InvalidAmount, "The amount must be positive and the maximum at least the amount.");
        }

        if (BuyNowOffered is { } buyNow && amount >= buyNow)
        {
            return BuyNow(request, buyNow, now);
        }

        var minimum = MinimumNextBid;
        if (amount < minimum)
        {
            return BidDecision.Reject(ErrorCodes.BidTooLow, $"The minimum bid is {minimum.Cents} cents.");
        }

        BidPlaced own;
        if (s.LeaderId is null || s.LeaderId == request.BidderId)
        {
            // First bid, or the leader raising: a plain bid at the amount; the leader's maximum only grows.
            var newMax = s.LeaderId is null ? max : Money.Max(max, s.LeaderMax ?? max);
            var price = BumpToReserve(amount, newMax);
            own = AddBid(request.BidderId, request.BidderName, request.Paddle, price, price == amount ? BidKind.Manual : BidKind.Proxy, now, request.IdempotencyKey, outbid: null, leaderMax: newMax);
        }
        else
        {
            var leaderMax = s.LeaderMax ?? s.CurrentPrice ?? s.StartingPrice;
            if (max > leaderMax)
            {
                // The challenger takes the lead, paying only as much as needed to beat the old maximum.
                var needed = Money.Min(max, NextAfter(leaderMax));
                var price = BumpToReserve(Money.Max(amount, needed), max);
                own = AddBid(request.BidderId, request.BidderName, request.Paddle, price, price == amount ? BidKind.Manual : BidKind.Proxy, now, request.IdempotencyKey, outbid: s.LeaderId, leaderMax: max);
            }
            else
            {
                // The leader's earlier maximum holds (ties go to the earliest): their proxy answers the bid.
                var answer = BumpToReserve(Money.Min(leaderMax, NextAfter(max)), leaderMax);
                if (answer <= amount)
                {
                    return BidDecision.Reject(ErrorCodes.BidTooLow, "An earlier maximum bid of the same amount already leads.");
                }

                // The challenger's bid stands for a moment without taking the lead; the leader's proxy answers it.
                own = AddBid(request.BidderId, request.BidderName, request.Paddle, amount, BidKind.Manual, now, request.IdempotencyKey, outbid: null, leaderMax: null);
                AddBid(s.LeaderId.Value, s.LeaderName ?? "", s.LeaderPaddle ?? 0, answer, BidKind.Proxy, now, idempotencyKey: null, outbid: request.BidderId, leaderMax: null);
            }
        }

        ExtendIfSniped(now);
        return BidDecision.Accept(own);
    }

    /// <summary>
    /// The leader raises their secret maximum without bidding against themselves: the price stays and a
    /// <see cref="MaximumRaised"/> records it. When the new maximum reaches an unmet reserve, the price
    /// moves to the reserve instead, as a proxy bid (the same rule as a bid's maximum).
    /// </summary>
    public BidDecision RaiseMaximum(BidRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (OpenFor(now) is { } closed)
        {
            return BidDecision.Reject(closed.Code, closed.Message);
        }

        var s = State;
        if (s.LeaderId != request.BidderId)
        {
            return BidDecision.Reject(ErrorCodes.NotLeading, "Only the leading bidder can raise their maximum; place a bid instead.");
        }

        var max = request.MaxAmount ?? request.Amount;
        var current = s.LeaderMax ?? s.CurrentPrice ?? s.StartingPrice;
        if (max <= current)
        {
            return BidDecision.Reject(ErrorCodes.MaxTooLow, $"Your maximum is already {current.Cents} cents.");
        }

        var price = BumpToReserve(s.CurrentPrice ?? s.StartingPrice, max);
        if (price != s.CurrentPrice)
        {
            var placed = AddBid(request.BidderId, s.LeaderName ?? request.BidderName, s.LeaderPaddle ?? request.Paddle, price, BidKind.Proxy, now, request.IdempotencyKey, outbid: null, leaderMax: max);
            ExtendIfSniped(now);
            return BidDecision.Accept(placed);
        }

        var seq = s.Version + 1;
        State = s with { LeaderMax = max, Version = seq };
        var raised = new MaximumRaised(s.Id, seq, now, request.BidderId, s.LeaderPaddle ?? request.Paddle, max, request.IdempotencyKey);
        _pending.Add(raised);
        return new BidDecision(null, null) { Raised = raised };
    }

    /// <summary>
    /// Closes the auction. <see cref="CloseReason.Ended"/> requires <c>now ≥ ends_at</c>. Exactly once.
    /// <paramref name="actor"/> is the admin who closed it, recorded on the event (null for the clock or buy-now).
    /// </summary>
    public DomainError? Close(CloseReason reason, DateTimeOffset now, AuctionActor? actor = null)
    {
        if (State.Status is AuctionStatus.Closed or AuctionStatus.Cancelled)
        {
            return new DomainError(ErrorCodes.AuctionClosed, "The auction is already closed or cancelled.");
        }

        if (reason == CloseReason.Ended && now < State.EndsAt)
        {
            return new DomainError(ErrorCodes.AuctionNotOpen, "The auction has not reached its end yet.");
        }

        var reserveMet = ReserveMet;
        var winner = State.LeaderId is not null && reserveMet != false;
        var seq = State.Version + 1;
        _pending.Add(new AuctionClosed(
            State.Id, seq, now,
            winner ? State.LeaderId : null,
            winner ? State.LeaderName : null,
            State.CurrentPrice,
            reserveMet,
            reason,
            winner ? State.LeaderPaddle : null,
            actor));
        State = State with
        {
            Status = AuctionStatus.Closed,
            Version = seq,
            ClosedAt = now,
            WinnerId = winner ? State.LeaderId : null,
            WinnerName = winner ? State.LeaderName : null,
            WinnerPaddle = winner ? State.LeaderPaddle : null,
        };
        return null;
    }

    /// <summary>
    /// Cancels the auction (admin). Exactly once; a closed auction cannot be cancelled. <paramref name="actor"/>
    /// is the admin who cancelled it, recorded on the event.
    /// </summary>
    public DomainError? Cancel(string reason, DateTimeOffset now, AuctionActor? actor = null)
    {
        if (State.Status is AuctionStatus.Closed or AuctionStatus.Cancelled)
        {
            return new DomainError(ErrorCodes.AuctionClosed, "The auction is already closed or cancelled.");
        }

        var seq = State.Version + 1;
        _pending.Add(new AuctionCancelled(State.Id, seq, now, reason, actor));
        State = State with { Status = AuctionStatus.Cancelled, Version = seq, ClosedAt = now };
        return null;
    }

    private BidDecision BuyNow(BidRequest request, Money buyNow, DateTimeOffset now)
    {
        // The leader buying outright outbids nobody.
        var outbid = State.LeaderId == request.BidderId ? null : State.LeaderId;
        var own = AddBid(request.BidderId, request.BidderName, request.Paddle, buyNow, BidKind.BuyNow, now, request.IdempotencyKey, outbid, leaderMax: buyNow);
        Close(CloseReason.BuyNow, now);
        return BidDecision.Accept(own);
    }

    // Whether bids (and maximum raises) are taken at now: one rule for both.
    private DomainError? OpenFor(DateTimeOffset now) =>
        State.Status is AuctionStatus.Closed or AuctionStatus.Cancelled
            ? new DomainError(ErrorCodes.AuctionClosed, State.Status == AuctionStatus.Cancelled ? "The auction was cancelled." : "The auction has closed.")
            : now < State.StartsAt
                ? new DomainError(ErrorCodes.AuctionNotOpen, "The auction has not started yet.")
                : now >= State.EndsAt
                    ? new DomainError(ErrorCodes.AuctionClosed, "The auction has ended.")
                    : null;

    /// <summary>How a bidder is shown in an anonymous auction.</summary>
    public static string PaddleName(int paddle) => $"Paddle {paddle}";

    private Money NextAfter(Money price) => _strategy.MinimumNextBid(price, State.Increment);

    // With a reserve, a maximum that reaches it lifts the price to the reserve at once (as eBay does).
    private Money BumpToReserve(Money price, Money max) =>
        State.ReservePrice is { } reserve && max >= reserve && price < reserve ? reserve : price;

    // One state copy per bid (the hot path): price, count, version and, when leaderMax is given, the lead
    // passes to the bidder. A null leaderMax keeps the current leader (a challenger answered by a proxy).
    private BidPlaced AddBid(UserId bidder, string name, int paddle, Money price, BidKind kind, DateTimeOffset now, string? idempotencyKey, UserId? outbid, Money? leaderMax)
    {
        var seq = State.Version + 1;
        var takesLead = leaderMax is not null;
        if (State.AnonymousBidding)
        {
            name = PaddleName(paddle); // an anonymous auction never records a bidder's name
        }

        State = State with
        {
            Status = AuctionStatus.Open,
            CurrentPrice = price,
            BidCount = State.BidCount + 1,
            Version = seq,
            LeaderId = takesLead ? bidder : State.LeaderId,
            LeaderName = takesLead ? name : State.LeaderName,
            LeaderPaddle = takesLead ? paddle : State.LeaderPaddle,
            LeaderMax = takesLead ? leaderMax : State.LeaderMax,
        };
        var bid = new Bid(BidId.New(), State.Id, bidder, name, price, seq, now, kind, paddle);
        var placed = new BidPlaced(State.Id, seq, now, bid, MinimumNextBid, State.BidCount, State.EndsAt, ReserveMet, BuyNowOffered, outbid, idempotencyKey);
        _pending.Add(placed);
        return placed;
    }

    private void ExtendIfSniped(DateTimeOffset now)
    {
        if (State.SoftClose is not { } policy || State.Status != AuctionStatus.Open || State.Extensions >= policy.MaxExtensions)
        {
            return;
        }

        if (State.EndsAt - now > TimeSpan.FromSeconds(policy.WindowSeconds))
        {
            return;
        }

        var seq = State.Version + 1;
        State = State with
        {
            EndsAt = State.EndsAt.AddSeconds(policy.ExtensionSeconds),
            Extensions = State.Extensions + 1,
            Version = seq,
        };
        _pending.Add(new AuctionExtended(State.Id, seq, now, State.EndsAt, State.Extensions));
    }
}

/// <summary>
/// The outcome of <see cref="Auction.PlaceBid"/>: the bidder's own accepted bid (or, for a maximum raise,
/// <see cref="Raised"/>), or an error.
/// </summary>
public sealed record BidDecision(BidPlaced? Placed, DomainError? Error)
{
    /// <summary>The leader's raised maximum, when the request raised it without moving the price.</summary>
    public MaximumRaised? Raised { get; init; }

    /// <summary>Whether the bid (or the raise) was accepted.</summary>
    public bool Accepted => Placed is not null || Raised is not null;

    /// <summary>The seq of the accepted bid or raise.</summary>
    internal long? AcceptedSeq => Placed?.Seq ?? Raised?.Seq;

    internal static BidDecision Accept(BidPlaced placed) => new(placed, null);

    internal static BidDecision Reject(string code, string message) => new(null, new DomainError(code, message));
}

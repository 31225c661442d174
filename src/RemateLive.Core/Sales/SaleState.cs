using RemateLive.Domain;
using RemateLive.Increments;

namespace RemateLive.Sales;

/// <summary>
/// The persisted record of a live sale: its catalogue of lots in order, which lot is on offer, and the
/// secrets that never leave the server (absentee maxima, which user holds which paddle).
/// <see cref="Version"/> moves on every commit (optimistic concurrency); <see cref="Seq"/> is the seq of the
/// latest public event (an absentee bid changes the state but publishes nothing, so the two may differ).
/// </summary>
public sealed record SaleState
{
    /// <summary>Identity.</summary>
    public required SaleId Id { get; init; }

    /// <summary>Shown to bidders.</summary>
    public required string Title { get; init; }

    /// <summary>ISO-4217 code, display only.</summary>
    public required string Currency { get; init; }

    /// <summary>The increment strategy that suggests each next asking price.</summary>
    public required IncrementRule Increment { get; init; }

    /// <summary>When the auctioneer plans to start (display only; the sale starts when the first lot opens).</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>Where the sale is.</summary>
    public SaleStatus Status { get; init; } = SaleStatus.Scheduled;

    /// <summary>The catalogue, in calling order.</summary>
    public required IReadOnlyList<LotState> Lots { get; init; }

    /// <summary>The lot on offer (open or under fair warning), if any.</summary>
    public LotId? CurrentLotId { get; init; }

    /// <summary>Online and absentee bidders' paddles (secret: who holds which number).</summary>
    public IReadOnlyList<SalePaddle> Paddles { get; init; } = [];

    /// <summary>Bumped by every commit; the store's compare-and-set value.</summary>
    public long Version { get; init; }

    /// <summary>The seq of the latest published event (0 when none).</summary>
    public long Seq { get; init; }

    /// <summary>Who created it (the auctioneer or admin).</summary>
    public required UserId CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The lot with this id, or null.</summary>
    public LotState? FindLot(LotId id)
    {
        foreach (var lot in Lots)
        {
            if (lot.Id == id)
            {
                return lot;
            }
        }

        return null;
    }

    /// <summary>The lot on offer, or null.</summary>
    public LotState? CurrentLot => CurrentLotId is { } id ? FindLot(id) : null;

    /// <summary>This user's paddle number in the sale, or null when they have none yet.</summary>
    public int? PaddleOf(UserId user)
    {
        foreach (var p in Paddles)
        {
            if (p.UserId == user)
            {
                return p.Number;
            }
        }

        return null;
    }
}

/// <summary>One lot of the catalogue.</summary>
public sealed record LotState
{
    /// <summary>Identity.</summary>
    public required LotId Id { get; init; }

    /// <summary>The lot number printed in the catalogue (1, 2, 3…).</summary>
    public required int Number { get; init; }

    /// <summary>Shown to bidders.</summary>
    public required string Title { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>The first asking price when the lot opens.</summary>
    public required Money StartingPrice { get; init; }

    /// <summary>Where the lot is.</summary>
    public LotStatus Status { get; init; } = LotStatus.Pending;

    /// <summary>The price the auctioneer is asking now (null until the lot opens).</summary>
    public Money? AskingPrice { get; init; }

    /// <summary>The leading bid (the winning one once sold), if any.</summary>
    public LotBid? Leader { get; init; }

    /// <summary>Accepted bids on this lot.</summary>
    public int BidCount { get; init; }

    /// <summary>Absentee maxima left before the lot opened (secret), one per bidder.</summary>
    public IReadOnlyList<AbsenteeBid> Absentees { get; init; } = [];
}

/// <summary>A bid that leads (or won) a lot; <see cref="BidderId"/> is null for floor bids.</summary>
public sealed record LotBid(Money Amount, BidSource Source, int Paddle, UserId? BidderId, string? BidderName);

/// <summary>A bidder's secret maximum on a lot, left before it opened.</summary>
public sealed record AbsenteeBid(UserId BidderId, string BidderName, int Paddle, Money MaxAmount, DateTimeOffset PlacedAt);

/// <summary>An online bidder's paddle number in a sale.</summary>
public sealed record SalePaddle(UserId UserId, int Number);

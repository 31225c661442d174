using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Events;

namespace RemateLive.Ports;

/// <summary>
/// The storage port: the bid of record. Every write is one atomic, intention-revealing operation; an
/// adapter must pass the compliance kit (<c>RemateLive.Testing</c>). Infrastructure failures surface as
/// exceptions (nothing acknowledged); business outcomes as results.
/// </summary>
public interface IAuctionStore
{
    /// <summary>Stores a new auction (version 0, no events). Throws if the id exists.</summary>
    Task CreateAuctionAsync(AuctionState auction, CancellationToken cancellationToken = default);

    /// <summary>The auction's latest committed state, or null.</summary>
    Task<AuctionState?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default);

    /// <summary>Auctions, optionally by stored status, soonest-ending first.</summary>
    Task<IReadOnlyList<AuctionState>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// One catalogue page: the auctions matching <paramref name="search"/> in its order, after its cursor,
    /// at most its limit — by the rules of <see cref="AuctionCatalogue"/>. The default reads every auction
    /// and filters in memory, so a store written before the catalogue existed still answers; a store that
    /// can should answer from an index (the PostgreSQL store does).
    /// </summary>
    async Task<IReadOnlyList<AuctionState>> SearchAuctionsAsync(AuctionSearch search, CancellationToken cancellationToken = default) =>
        AuctionCatalogue.Apply(await ListAuctionsAsync(null, cancellationToken), search);

    /// <summary>
    /// Commits one batch of decisions atomically: appends <see cref="AuctionCommit.Events"/>, replaces the
    /// state and stores every one of <see cref="AuctionCommit.Outcomes"/> (the idempotency outcomes of
    /// accepted <em>and</em> rejected bids) — if the stored version is still
    /// <see cref="AuctionCommit.ExpectedVersion"/>, the deadline condition holds by the store's own clock
    /// and no outcome's key is stored already. All or nothing: on any other result nothing changes. A
    /// commit without events only stores outcomes, with no version or deadline check (a rejection decided
    /// on an older state stays true: prices only rise and closing is final).
    /// </summary>
    Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets idempotency outcomes stored before <paramref name="before"/> (retention,
    /// <see cref="BiddingOptions.OutcomeRetention"/>); returns how many. The default keeps everything, so a
    /// store written before retention existed still works (its outcomes just never expire).
    /// </summary>
    Task<int> PruneOutcomesAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>
    /// The user's paddle number on this auction, assigned on the first call (1, 2, 3… per auction, in
    /// order of registration; never reused, never changed); null when there is no such auction.
    /// </summary>
    Task<int?> AssignPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default);

    /// <summary>The user's paddle number on this auction, or null when they never had one.</summary>
    Task<int?> FindPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default);

    /// <summary>The outcome stored for this user's idempotency key on this auction, if any.</summary>
    Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Events with <c>seq &gt; afterSeq</c>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Accepted bids, newest first, with <c>seq &lt; beforeSeq</c> when given.</summary>
    Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The auctions <paramref name="bidder"/> has accepted bids on, most recently bid first, at most
    /// <paramref name="limit"/>, each with the bidder's highest bid. The default walks every auction's latest
    /// 500 bids (correct for small stores, slow for big ones); a store
    /// should answer from an index on the bidder (the PostgreSQL store does).
    /// </summary>
    async Task<IReadOnlyList<BidderAuction>> GetBidderAuctionsAsync(UserId bidder, int limit, CancellationToken cancellationToken = default)
    {
        var found = new List<BidderAuction>();
        foreach (var auction in await ListAuctionsAsync(null, cancellationToken))
        {
            var mine = (await GetBidsAsync(auction.Id, null, 500, cancellationToken)).Where(b => b.BidderId == bidder).ToList();
            if (mine.Count > 0)
            {
                found.Add(new BidderAuction(auction, mine.Max(b => b.Amount), mine.Max(b => b.PlacedAt)));
            }
        }

        return [.. found.OrderByDescending(f => f.LastBidAt).Take(limit)];
    }

    /// <summary>Ids of open or scheduled auctions whose <c>ends_at</c> is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<AuctionId>> GetDueAuctionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Which side of the deadline a commit must fall on, by the store's own clock.</summary>
public enum CommitDeadline
{
    /// <summary>No time condition (admin close, cancel).</summary>
    None,

    /// <summary>A bid: the stored <c>ends_at</c> must still be in the future.</summary>
    BeforeEnd,

    /// <summary>A timed close: the stored <c>ends_at</c> must have passed.</summary>
    AfterEnd,
}

/// <summary>
/// One batch of decisions to commit: the new state and its events, if the store is still at
/// <see cref="ExpectedVersion"/>, together with the idempotency outcomes of the batch's bids.
/// </summary>
/// <param name="State">The new state (its version = the last event's seq; not stored when there are no events).</param>
/// <param name="ExpectedVersion">The version the batch was decided on.</param>
/// <param name="Events">The events, seq <c>ExpectedVersion+1…</c>, gap-free; may be empty.</param>
/// <param name="Outcomes">
/// The outcome of each idempotency key decided in the batch: an accepted bid points at its own
/// <c>BidPlaced</c> seq, a rejection carries the error. At most one per (user, key).
/// </param>
/// <param name="Deadline">The time condition checked by the store's clock (ignored without events).</param>
public sealed record AuctionCommit(
    AuctionState State,
    long ExpectedVersion,
    IReadOnlyList<AuctionEvent> Events,
    IReadOnlyList<BidOutcomeRecord> Outcomes,
    CommitDeadline Deadline = CommitDeadline.None);

/// <summary>How an append ended.</summary>
public enum AppendStatus
{
    /// <summary>Stored.</summary>
    Committed,

    /// <summary>The stored version moved on; <see cref="AppendResult.Current"/> holds the current state.</summary>
    VersionConflict,

    /// <summary>The deadline condition failed by the store's clock; <see cref="AppendResult.Current"/> holds the current state.</summary>
    DeadlineMissed,

    /// <summary>Some outcomes' keys are stored already; see <see cref="AppendResult.ExistingOutcomes"/>.</summary>
    DuplicateKey,

    /// <summary>No such auction.</summary>
    NotFound,
}

/// <summary>The result of <see cref="IAuctionStore.AppendAsync"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Current">The stored state, on a version conflict or a missed deadline.</param>
/// <param name="ExistingOutcomes">On <see cref="AppendStatus.DuplicateKey"/>, the stored first outcome of every key that was a duplicate.</param>
public sealed record AppendResult(AppendStatus Status, AuctionState? Current = null, IReadOnlyList<BidOutcomeRecord>? ExistingOutcomes = null)
{
    /// <summary>Stored.</summary>
    public static AppendResult Committed { get; } = new(AppendStatus.Committed);

    /// <summary>No such auction.</summary>
    public static AppendResult NotFound { get; } = new(AppendStatus.NotFound);
}

/// <summary>
/// The first outcome of a bid with an idempotency key: the accepted bid's <see cref="Seq"/>, or the
/// rejection's code and message.
/// </summary>
public sealed record BidOutcomeRecord(
    AuctionId AuctionId,
    UserId UserId,
    string IdempotencyKey,
    long? Seq,
    string? ErrorCode,
    string? ErrorMessage,
    DateTimeOffset CreatedAt)
{
    /// <summary>Whether the bid was accepted.</summary>
    public bool Accepted => Seq is not null;
}

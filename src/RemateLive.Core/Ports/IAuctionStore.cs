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
    /// Appends <see cref="AuctionCommit.Events"/> and replaces the state if the stored version is still
    /// <see cref="AuctionCommit.ExpectedVersion"/> (and the deadline condition holds by the store's clock).
    /// All or nothing: on any other outcome nothing changes.
    /// </summary>
    Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Remembers a rejected bid under its idempotency key, unless the key already has an outcome; returns
    /// the outcome that stands (the new one, or the earlier one).
    /// </summary>
    Task<BidOutcomeRecord> RecordRejectionAsync(BidOutcomeRecord rejection, CancellationToken cancellationToken = default);

    /// <summary>The outcome stored for this user's idempotency key on this auction, if any.</summary>
    Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Events with <c>seq &gt; afterSeq</c>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Accepted bids, newest first, with <c>seq &lt; beforeSeq</c> when given.</summary>
    Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default);

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

/// <summary>What to commit: the new state and the events, if the store is still at <see cref="ExpectedVersion"/>.</summary>
/// <param name="State">The new state (its version = the last event's seq).</param>
/// <param name="ExpectedVersion">The version the decision was made on.</param>
/// <param name="Events">The events, seq <c>ExpectedVersion+1…</c>, gap-free.</param>
/// <param name="Outcome">The bidder's idempotency record, stored atomically with the events.</param>
/// <param name="Deadline">The time condition checked by the store's clock.</param>
public sealed record AuctionCommit(
    AuctionState State,
    long ExpectedVersion,
    IReadOnlyList<AuctionEvent> Events,
    BidOutcomeRecord? Outcome = null,
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

    /// <summary>The idempotency key already has an outcome; see <see cref="AppendResult.ExistingOutcome"/>.</summary>
    DuplicateKey,

    /// <summary>No such auction.</summary>
    NotFound,
}

/// <summary>The result of <see cref="IAuctionStore.AppendAsync"/>.</summary>
public sealed record AppendResult(AppendStatus Status, AuctionState? Current = null, BidOutcomeRecord? ExistingOutcome = null)
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

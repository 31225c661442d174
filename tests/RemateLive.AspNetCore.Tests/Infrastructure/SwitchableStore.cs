using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.InMemory;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Infrastructure;

/// <summary>The in-memory store with an off switch: while <see cref="Down"/>, every call throws like a lost database connection.</summary>
public sealed class SwitchableStore(TimeProvider time) : IAuctionStore
{
    private readonly InMemoryAuctionStore _inner = new(time);

    public bool Down { get; set; }

    private T Guard<T>(Func<T> call) => Down ? throw new IOException("The store is unreachable (test).") : call();

    public Task CreateAuctionAsync(AuctionState auction, CancellationToken cancellationToken = default) => Guard(() => _inner.CreateAuctionAsync(auction, cancellationToken));

    public Task<AuctionState?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default) => Guard(() => _inner.GetAuctionAsync(id, cancellationToken));

    public Task<IReadOnlyList<AuctionState>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default) => Guard(() => _inner.ListAuctionsAsync(status, cancellationToken));

    public Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default) => Guard(() => _inner.AppendAsync(commit, cancellationToken));

    public Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default) => Guard(() => _inner.FindOutcomeAsync(auctionId, userId, idempotencyKey, cancellationToken));

    public Task<int?> AssignPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default) => Guard(() => _inner.AssignPaddleAsync(auctionId, userId, cancellationToken));

    public Task<int?> FindPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default) => Guard(() => _inner.FindPaddleAsync(auctionId, userId, cancellationToken));

    public Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default) => Guard(() => _inner.GetEventsAsync(auctionId, afterSeq, limit, cancellationToken));

    public Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default) => Guard(() => _inner.GetBidsAsync(auctionId, beforeSeq, limit, cancellationToken));

    public Task<IReadOnlyList<AuctionId>> GetDueAuctionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) => Guard(() => _inner.GetDueAuctionsAsync(now, limit, cancellationToken));
}

using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;

namespace RemateLive.Core.Tests.Support;

/// <summary>Forwards every call; tests override one member to inject a fault.</summary>
internal class DelegatingStore(IAuctionStore inner) : IAuctionStore
{
    protected IAuctionStore Inner { get; } = inner;

    public virtual Task CreateAuctionAsync(AuctionState auction, CancellationToken cancellationToken = default) => Inner.CreateAuctionAsync(auction, cancellationToken);

    public virtual Task<AuctionState?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default) => Inner.GetAuctionAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<AuctionState>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default) => Inner.ListAuctionsAsync(status, cancellationToken);

    public virtual Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default) => Inner.AppendAsync(commit, cancellationToken);

    public virtual Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default) => Inner.FindOutcomeAsync(auctionId, userId, idempotencyKey, cancellationToken);

    public virtual Task<int?> AssignPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default) => Inner.AssignPaddleAsync(auctionId, userId, cancellationToken);

    public virtual Task<int?> FindPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default) => Inner.FindPaddleAsync(auctionId, userId, cancellationToken);

    public virtual Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default) => Inner.GetEventsAsync(auctionId, afterSeq, limit, cancellationToken);

    public virtual Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default) => Inner.GetBidsAsync(auctionId, beforeSeq, limit, cancellationToken);

    public virtual Task<IReadOnlyList<AuctionId>> GetDueAuctionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) => Inner.GetDueAuctionsAsync(now, limit, cancellationToken);
}

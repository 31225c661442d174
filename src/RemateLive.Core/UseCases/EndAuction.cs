using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>The auction after a close or cancel, or why it did not happen.</summary>
public sealed record EndAuctionResult(AuctionView? Auction, DomainError? Error)
{
    /// <summary>Whether this call ended the auction.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>Closes an auction: at its deadline (the closer), by an admin. Exactly once, however many closers race.</summary>
public sealed class CloseAuction(IAuctionStore store, BidIncrementStrategies strategies, AuctionPublisher publisher, BiddingOptions options, TimeProvider time)
{
    /// <summary>Closes <paramref name="id"/> for <paramref name="reason"/> (<see cref="CloseReason.Ended"/> only once due by the store's clock).</summary>
    public Task<EndAuctionResult> ExecuteAsync(AuctionId id, CloseReason reason = CloseReason.Admin, CancellationToken cancellationToken = default) =>
        AuctionEnding.RunAsync(
            store, strategies, publisher, options, time, id,
            reason == CloseReason.Ended ? CommitDeadline.AfterEnd : CommitDeadline.None,
            (auction, now) => auction.Close(reason, now),
            cancellationToken);
}

/// <summary>Cancels an auction (admin).</summary>
public sealed class CancelAuction(IAuctionStore store, BidIncrementStrategies strategies, AuctionPublisher publisher, BiddingOptions options, TimeProvider time)
{
    /// <summary>Cancels <paramref name="id"/>, giving <paramref name="reason"/> to bidders.</summary>
    public Task<EndAuctionResult> ExecuteAsync(AuctionId id, string reason, CancellationToken cancellationToken = default) =>
        AuctionEnding.RunAsync(
            store, strategies, publisher, options, time, id, CommitDeadline.None,
            (auction, now) => auction.Cancel(string.IsNullOrWhiteSpace(reason) ? "Cancelled by an admin." : reason.Trim(), now),
            cancellationToken);
}

// Close and cancel share the decide/commit/retry loop.
internal static class AuctionEnding
{
    internal static async Task<EndAuctionResult> RunAsync(
        IAuctionStore store,
        BidIncrementStrategies strategies,
        AuctionPublisher publisher,
        BiddingOptions options,
        TimeProvider time,
        AuctionId id,
        CommitDeadline deadline,
        Func<Auction, DateTimeOffset, DomainError?> decide,
        CancellationToken ct)
    {
        var state = await store.GetAuctionAsync(id, ct);
        for (var attempt = 0; attempt < Math.Max(1, options.MaxCommitAttempts); attempt++)
        {
            if (state is null)
            {
                return new(null, new DomainError(ErrorCodes.NotFound, "No such auction."));
            }

            var now = time.GetUtcNow();
            var auction = Auction.Load(state, strategies.Get(state.Increment.Kind));
            if (decide(auction, now) is { } error)
            {
                return new(auction.ToView(now), error);
            }

            var result = await store.AppendAsync(new AuctionCommit(auction.State, auction.LoadedVersion, auction.PendingEvents, null, deadline), ct);
            switch (result.Status)
            {
                case AppendStatus.Committed:
                    await publisher.PublishAsync(auction.State, auction.PendingEvents, ct);
                    return new(auction.ToView(now), null);
                case AppendStatus.DeadlineMissed:
                    return new(Auction.Load(result.Current!, strategies.Get(result.Current!.Increment.Kind)).ToView(now),
                        new DomainError(ErrorCodes.AuctionNotOpen, "The auction has not reached its end by the store's clock."));
                case AppendStatus.VersionConflict:
                    state = result.Current;
                    continue;
                default:
                    state = null;
                    continue;
            }
        }

        return new(null, new DomainError(ErrorCodes.Concurrency, "The auction kept changing; please retry."));
    }
}

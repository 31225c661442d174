using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>The outcome of a socket/hub bid: the reply for the bidder, and whether the feed already queued it.</summary>
/// <param name="Reply"><c>bid_placed</c> or <c>max_raised</c> (with the bidder's key), or <c>bid_error</c>.</param>
/// <param name="DeliveredByFeed">
/// True for a freshly committed bid: the feed delivered its <c>bid_placed</c> (with the key) to the
/// bidder's connections before the use case returned, in seq order, so a socket must not send it again.
/// </param>
internal sealed record RealtimeBidResult(ServerMessage Reply, bool DeliveredByFeed);

/// <summary>
/// Places a bid for either transport: a session revoked since the connection signed in (logout, password
/// change) is refused, then the rate limit, then the <see cref="PlaceBid"/> use case.
/// </summary>
internal sealed partial class RealtimeBids(
    PlaceBid placeBid,
    RemateIdentity identity,
    AuctionQueries queries,
    RemateRateLimits rateLimits,
    RemateMetrics metrics,
    TimeProvider time,
    ILogger<RealtimeBids> logger)
{
    public async Task<RealtimeBidResult> PlaceAsync(AuctionId auctionId, RemateUser user, BidMessage bid, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var activity = RemateTracing.StartReceive("socket", auctionId);
        if (await identity.IsRevokedAsync(user, cancellationToken))
        {
            return new(ServerMessages.BidError(new DomainError(ErrorCodes.NotAuthenticated, "The session was revoked; sign in again."), bid.IdempotencyKey, null), false);
        }

        var limit = await rateLimits.ForBidAsync(user.Id, cancellationToken);
        if (!limit.Allowed)
        {
            metrics.BidDecided(ErrorCodes.RateLimited, time.GetElapsedTime(started));
            activity.BidDecided(ErrorCodes.RateLimited);
            return new(ServerMessages.BidError(new DomainError(ErrorCodes.RateLimited, "Too many bids; slow down."), bid.IdempotencyKey, null, limit.RetryAfter), false);
        }

        BidOutcome outcome;
        try
        {
            outcome = bid.RaisesMaximumOnly
                ? await placeBid.RaiseMaximumAsync(new RaiseMaximumCommand(auctionId, user.Id, user.DisplayName, bid.AmountCents, bid.IdempotencyKey), cancellationToken)
                : await placeBid.ExecuteAsync(
                    new PlaceBidCommand(auctionId, user.Id, user.DisplayName, bid.AmountCents, bid.MaxAmountCents, bid.Version, bid.IdempotencyKey),
                    cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Never a false ack: the bid may or may not have been stored; a retry with the same key tells.
            LogBidFailed(logger, ex, auctionId);
            metrics.BidDecided(ErrorCodes.Unavailable, time.GetElapsedTime(started));
            activity.BidDecided(ErrorCodes.Unavailable);
            return new(ServerMessages.BidError(new DomainError(ErrorCodes.Unavailable, "The bid could not be processed; retry with the same idempotency_key."), bid.IdempotencyKey, null), false);
        }

        metrics.BidDecided(outcome.Error?.Code, time.GetElapsedTime(started));
        activity.BidDecided(outcome.Error?.Code);
        var accepted = outcome.Placed ?? (AuctionEvent?)outcome.Raised;
        if (accepted is not null)
        {
            return new(ServerMessages.FromEvent(accepted, toBidder: true, time.GetUtcNow()), DeliveredByFeed: !outcome.Replayed);
        }

        // A rejection decided from the cache carries no view; the bidder still needs the current state.
        var auction = outcome.Auction ?? await CurrentViewAsync(auctionId, cancellationToken);
        return new(ServerMessages.BidError(outcome.Error!, bid.IdempotencyKey, auction), false);
    }

    private async Task<AuctionView?> CurrentViewAsync(AuctionId auctionId, CancellationToken cancellationToken)
    {
        try
        {
            return await queries.GetAuctionAsync(auctionId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBidFailed(logger, ex, auctionId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Placing a bid on auction {AuctionId} failed.")]
    private static partial void LogBidFailed(ILogger logger, Exception ex, AuctionId auctionId);
}

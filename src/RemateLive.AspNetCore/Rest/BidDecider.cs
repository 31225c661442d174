using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary>
/// What a REST bid and a REST maximum raise share once the body is valid: sign-in, the rate limit (a retry of
/// a decided key is free), the use case, metrics, and the answer — 201 with the bid, 200 with a raised
/// maximum, or a problem carrying the current price.
/// </summary>
internal sealed class BidDecider(
    RemateIdentity identity,
    RemateRateLimits limits,
    IAuctionStore store,
    AuctionQueries queries,
    RemateMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("RemateLive.Rest");

    public async Task<IResult> DecideAsync(
        string id,
        HttpContext context,
        string? idempotencyKey,
        Func<AuctionId, RemateUser, string?, CancellationToken, Task<BidOutcome>> submit)
    {
        if (!AuctionId.TryParse(id, out var auctionId))
        {
            return Problems.NotFound();
        }

        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        var ct = context.RequestAborted;
        var key = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey;

        // A retry of a decided key replays its first outcome, so it is not charged against the bucket.
        var retry = key is not null && await store.FindOutcomeAsync(auctionId, user.Id, key, ct) is not null;
        if (!retry)
        {
            var limit = await limits.ForBidAsync(user.Id, ct);
            if (!limit.Allowed)
            {
                metrics.BidDecided(ErrorCodes.RateLimited, TimeSpan.Zero);
                return AuthEndpoints.RateLimited(context, limit.RetryAfter);
            }
        }

        var started = time.GetTimestamp();
        using var activity = RemateTracing.StartReceive("rest", auctionId);
        BidOutcome outcome;
        try
        {
            outcome = await submit(auctionId, user, key, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.BidDecided(ErrorCodes.Unavailable, time.GetElapsedTime(started));
            activity.BidDecided(ErrorCodes.Unavailable);
            throw; // the API's filter answers 503 UNAVAILABLE: nothing was acknowledged
        }

        metrics.BidDecided(outcome.Error?.Code, time.GetElapsedTime(started));
        activity.BidDecided(outcome.Error?.Code);
        if (outcome.Placed is { } placed)
        {
            return WireJsonResult.Status(StatusCodes.Status201Created, ServerMessages.BidObject(placed.Bid, yours: true));
        }

        if (outcome.Raised is { } raised)
        {
            return WireJsonResult.Ok(new MaxRaisedResponse(raised.AuctionId, raised.Maximum.Cents, raised.Seq));
        }

        var error = outcome.Error!;
        RestLog.BidRejected(_logger, auctionId, user.Username, error.Code);
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (key is not null)
        {
            extra["idempotency_key"] = key;
        }

        // A rejection decided from the cache carries no view; the caller still deserves the current price.
        var view = outcome.Auction ?? (error.Code == ErrorCodes.NotFound ? null : await queries.GetAuctionAsync(auctionId, ct));
        if (view is not null)
        {
            extra["current_price_cents"] = view.CurrentPriceCents;
            extra["min_next_bid_cents"] = view.MinNextBidCents;
            extra["version"] = view.Version;
        }

        return Problems.Error(error, extra);
    }
}

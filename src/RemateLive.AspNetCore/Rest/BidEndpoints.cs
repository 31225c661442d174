using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary><c>POST /auctions/{id}/bids</c>: the same use case as the socket's <c>bid</c> message.</summary>
internal static class BidEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auctions/{id}/bids", PlaceAsync)
            .WithName("PlaceBid").WithTags("Bids")
            .WithSummary("Places a bid (signed-in users). The same idempotency_key from the same user returns the first outcome again.")
            .Accepts<PlaceBidRequest>("application/json")
            .Produces<BidObjectPayload>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PlaceAsync(
        string id,
        HttpContext context,
        RemateIdentity identity,
        RemateRateLimits limits,
        IAuctionStore store,
        PlaceBid placeBid,
        AuctionQueries queries,
        BiddingOptions bidding,
        RemateMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers)
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

        var (body, problem) = await JsonBody.ReadAsync<PlaceBidRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        if (Validate(body!, bidding) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var ct = context.RequestAborted;
        var key = string.IsNullOrEmpty(body!.IdempotencyKey) ? null : body.IdempotencyKey;

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
            outcome = await placeBid.ExecuteAsync(
                new PlaceBidCommand(auctionId, user.Id, user.DisplayName, body.AmountCents!.Value, body.MaxAmountCents, body.Version, key),
                ct);
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

        var error = outcome.Error!;
        var logger = loggers.CreateLogger("RemateLive.Rest");
        RestLog.BidRejected(logger, auctionId, user.Username, error.Code);
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

    private static Dictionary<string, string[]> Validate(PlaceBidRequest body, BiddingOptions bidding)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var max = bidding.MaxAmountCents;
        if (body.AmountCents is not { } amount)
        {
            errors["amount_cents"] = ["amount_cents is required."];
        }
        else if (amount <= 0 || amount > max)
        {
            errors["amount_cents"] = [$"amount_cents must be a whole number of cents between 1 and {max}."];
        }

        if (body.MaxAmountCents is { } maxAmount && (maxAmount <= 0 || maxAmount > max || (body.AmountCents is { } a && maxAmount < a)))
        {
            errors["max_amount_cents"] = [$"max_amount_cents must be between amount_cents and {max}."];
        }

        if (body.Version is < 0)
        {
            errors["version"] = ["version must not be negative."];
        }

        if (body.IdempotencyKey is { } key && key.Length > bidding.MaxIdempotencyKeyLength)
        {
            errors["idempotency_key"] = [$"idempotency_key must have at most {bidding.MaxIdempotencyKeyLength} characters."];
        }

        return errors;
    }
}

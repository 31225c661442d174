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

/// <summary>
/// <c>POST /auctions/{id}/bids</c> and <c>POST /auctions/{id}/max</c>: the same use cases as the socket's <c>bid</c>
/// and <c>raise_max</c> messages.
/// </summary>
internal static class BidEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auctions/{id}/bids", PlaceAsync)
            .WithName("PlaceBid").WithTags("Bids")
            .WithSummary("Places a bid (signed-in users). The same idempotency_key from the same user returns the first outcome again.")
            .Accepts<PlaceBidRequest>("application/json")
            .Produces<BidObjectPayload>(StatusCodes.Status201Created)
            .ProducesBidProblems();

        api.MapPost("/auctions/{id}/max", RaiseMaxAsync)
            .WithName("RaiseMaximum").WithTags("Bids")
            .WithSummary("The leader raises their secret maximum without bidding (the price stays). Exactly once per idempotency_key, like bids.")
            .Accepts<RaiseMaxRequest>("application/json")
            .Produces<MaxRaisedResponse>(StatusCodes.Status200OK)
            .Produces<BidObjectPayload>(StatusCodes.Status201Created)
            .ProducesBidProblems();
    }

    // Both answer a refusal the same way (BidDecider): the same documented problems.
    private static RouteHandlerBuilder ProducesBidProblems(this RouteHandlerBuilder endpoint) => endpoint
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> PlaceAsync(string id, HttpContext context, BidDecider decider, BiddingOptions bidding, PlaceBid placeBid)
    {
        var (body, problem) = await JsonBody.ReadAsync<PlaceBidRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        if (Validate(body!, bidding) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        return await decider.DecideAsync(id, context, body!.IdempotencyKey, (auctionId, user, key, ct) =>
            placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, user.Id, user.DisplayName, body.AmountCents!.Value, body.MaxAmountCents, body.Version, key), ct));
    }

    private static async Task<IResult> RaiseMaxAsync(string id, HttpContext context, BidDecider decider, BiddingOptions bidding, PlaceBid placeBid)
    {
        var (body, problem) = await JsonBody.ReadAsync<RaiseMaxRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body!.MaxAmountCents is not { } max || max <= 0 || max > bidding.MaxAmountCents)
        {
            errors["max_amount_cents"] = [$"max_amount_cents must be a whole number of cents between 1 and {bidding.MaxAmountCents}."];
        }

        ValidateKey(body.IdempotencyKey, bidding, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return await decider.DecideAsync(id, context, body.IdempotencyKey, (auctionId, user, key, ct) =>
            placeBid.RaiseMaximumAsync(new RaiseMaximumCommand(auctionId, user.Id, user.DisplayName, body.MaxAmountCents!.Value, key), ct));
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

        ValidateKey(body.IdempotencyKey, bidding, errors);
        return errors;
    }

    private static void ValidateKey(string? key, BiddingOptions bidding, Dictionary<string, string[]> errors)
    {
        if (key is not null && key.Length > bidding.MaxIdempotencyKeyLength)
        {
            errors["idempotency_key"] = [$"idempotency_key must have at most {bidding.MaxIdempotencyKeyLength} characters."];
        }
    }
}

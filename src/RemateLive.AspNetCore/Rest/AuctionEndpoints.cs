using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary>Read endpoints: auctions, bids and the durable event log.</summary>
internal static class AuctionEndpoints
{
    private const int DefaultBidPage = 50;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/auctions", ListAsync)
            .WithName("ListAuctions").WithTags("Auctions")
            .WithSummary("Auctions, optionally filtered by status (scheduled, open, closed, cancelled).")
            .Produces<AuctionView[]>().ProducesValidationProblem();
        api.MapGet("/auctions/{id}", GetAsync)
            .WithName("GetAuction").WithTags("Auctions")
            .Produces<AuctionView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/auctions/{id}/bids", BidsAsync)
            .WithName("ListBids").WithTags("Auctions")
            .WithSummary("Accepted bids, newest first (limit 1–500, default 50; before_seq pages back).")
            .Produces<BidObjectPayload[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/auctions/{id}/events", EventsAsync)
            .WithName("ListEvents").WithTags("Auctions")
            .WithSummary("Durable events after after_seq in seq order, with the same type and payload as the socket messages (limit 1–500, default 500).")
            .Produces<ServerMessage[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(string? status, AuctionQueries queries, CancellationToken ct)
    {
        AuctionStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<AuctionStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return Problems.Validation("status", "status must be one of scheduled, open, closed, cancelled.");
            }

            filter = parsed;
        }

        return WireJsonResult.Ok(await queries.ListAuctionsAsync(filter, ct));
    }

    private static async Task<IResult> GetAsync(string id, AuctionQueries queries, CancellationToken ct) =>
        AuctionId.TryParse(id, out var auctionId) && await queries.GetAuctionAsync(auctionId, ct) is { } view
            ? WireJsonResult.Ok(view)
            : Problems.NotFound();

    private static async Task<IResult> BidsAsync(string id, [FromQuery] string? limit, [FromQuery(Name = "before_seq")] string? beforeSeq, HttpContext context, RemateIdentity identity, AuctionQueries queries, CancellationToken ct)
    {
        if (!AuctionId.TryParse(id, out var auctionId))
        {
            return Problems.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var take = Parse(limit, "limit", DefaultBidPage, 1, AuctionQueries.MaxPage, errors);
        long? before = beforeSeq is null ? null : Parse(beforeSeq, "before_seq", 0, 1, long.MaxValue, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var bids = await queries.GetBidsAsync(auctionId, before, (int)take, ct);
        if (bids is null)
        {
            return Problems.NotFound();
        }

        var user = await context.GetRemateUserAsync(identity); // a signed-in bidder sees which bids are theirs
        return WireJsonResult.Ok(bids.Select(b => ServerMessages.BidObject(b, yours: b.BidderId == user?.Id)).ToArray());
    }

    private static async Task<IResult> EventsAsync(string id, [FromQuery(Name = "after_seq")] string? afterSeq, [FromQuery] string? limit, AuctionQueries queries, TimeProvider time, CancellationToken ct)
    {
        if (!AuctionId.TryParse(id, out var auctionId))
        {
            return Problems.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var after = Parse(afterSeq, "after_seq", 0, 0, long.MaxValue, errors);
        var take = Parse(limit, "limit", AuctionQueries.MaxPage, 1, AuctionQueries.MaxPage, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var events = await queries.GetEventsSinceAsync(auctionId, after, (int)take, ct);
        if (events is null)
        {
            return Problems.NotFound();
        }

        var now = time.GetUtcNow();
        return WireJsonResult.Ok(events.Select(e => ServerMessages.FromEvent(e, now)).ToArray());
    }

    private static long Parse(string? text, string name, long fallback, long min, long max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [max == long.MaxValue ? $"{name} must be a whole number ≥ {min}." : $"{name} must be a whole number between {min} and {max}."];
        return fallback;
    }
}

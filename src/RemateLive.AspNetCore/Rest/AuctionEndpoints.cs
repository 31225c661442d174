using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary>Read endpoints: auctions, bids and the durable event log.</summary>
internal static class AuctionEndpoints
{
    private const int DefaultBidPage = 50;
    private const int DefaultCataloguePage = 50;
    private const int MaxQueryLength = 200;

    private static readonly Dictionary<string, AuctionSort> Sorts = new(StringComparer.Ordinal)
    {
        ["ending_soon"] = AuctionSort.EndingSoon,
        ["newest"] = AuctionSort.Newest,
        ["price_asc"] = AuctionSort.PriceLowest,
        ["price_desc"] = AuctionSort.PriceHighest,
    };

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/auctions", ListAsync)
            .WithName("ListAuctions").WithTags("Auctions")
            .WithSummary("The catalogue: auctions matching q (every word starts a word of the title or description), status (scheduled, open, closed, cancelled), sorted by sort (ending_soon, newest, price_asc, price_desc), limit per page (1–100, default 50). A Link header with rel=\"next\" carries the next page's URL (its cursor) until the last page.")
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

    private static async Task<IResult> ListAsync(
        [FromQuery] string? q, [FromQuery] string? status, [FromQuery] string? sort, [FromQuery] string? cursor, [FromQuery] string? limit,
        HttpContext context, AuctionQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (q is { Length: > MaxQueryLength })
        {
            errors["q"] = [$"q must be at most {MaxQueryLength} characters."];
        }

        AuctionStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<AuctionStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                errors["status"] = ["status must be one of scheduled, open, closed, cancelled."];
            }
            else
            {
                filter = parsed;
            }
        }

        var order = AuctionSort.EndingSoon;
        if (!string.IsNullOrEmpty(sort) && !Sorts.TryGetValue(sort, out order))
        {
            errors["sort"] = ["sort must be one of ending_soon, newest, price_asc, price_desc."];
        }

        CatalogueCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && !errors.ContainsKey("sort"))
        {
            if (AuctionCatalogue.TryDecodeCursor(cursor, order, out var decoded))
            {
                after = decoded;
            }
            else
            {
                errors["cursor"] = ["cursor must be a next-page cursor of this sort, as given in the Link header."];
            }
        }

        var take = QueryValues.Parse(limit, "limit", DefaultCataloguePage, 1, AuctionQueries.MaxCataloguePage, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await queries.SearchAsync(q, filter, order, after, (int)take, ct);
        if (page.NextCursor is { } next)
        {
            // RFC 8288, as GitHub's API does: the body stays the array the contract promises.
            var query = context.Request.Query.Where(p => p.Key != "cursor")
                .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
                .Append(KeyValuePair.Create("cursor", (string?)next));
            var url = Microsoft.AspNetCore.Http.Extensions.UriHelper.BuildRelative(context.Request.PathBase, context.Request.Path, QueryString.Create(query));
            context.Response.Headers.Link = $"<{url}>; rel=\"next\"";
        }

        return WireJsonResult.Ok(page.Items);
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
        var take = QueryValues.Parse(limit, "limit", DefaultBidPage, 1, AuctionQueries.MaxPage, errors);
        long? before = beforeSeq is null ? null : QueryValues.Parse(beforeSeq, "before_seq", 0, 1, long.MaxValue, errors);
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
        var after = QueryValues.Parse(afterSeq, "after_seq", 0, 0, long.MaxValue, errors);
        var take = QueryValues.Parse(limit, "limit", AuctionQueries.MaxPage, 1, AuctionQueries.MaxPage, errors);
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
}

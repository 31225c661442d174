using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary>The signed-in bidder's own views: "my bids" and the watchlist.</summary>
internal static class MeEndpoints
{
    private const int DefaultPage = 50;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/me/bids", MyBidsAsync)
            .WithName("ListMyBids").WithTags("Bidders")
            .WithSummary("The auctions the signed-in user has bid on, most recently bid first (limit 1–100, default 50): status leading, outbid, won, lost or cancelled, their highest bid, and their own maximum while they lead.")
            .Produces<MyBid[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/me/watchlist", WatchlistAsync)
            .WithName("ListWatchlist").WithTags("Bidders")
            .WithSummary("The auctions the signed-in user watches, most recently watched first.")
            .Produces<AuctionView[]>().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPut("/me/watchlist/{id}", WatchAsync)
            .WithName("WatchAuction").WithTags("Bidders")
            .WithSummary($"Watches an auction (204; idempotent). At most {Watchlist.MaxPerUser} per user: 409 WATCHLIST_FULL beyond.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapDelete("/me/watchlist/{id}", UnwatchAsync)
            .WithName("UnwatchAuction").WithTags("Bidders")
            .WithSummary("Stops watching an auction (204; idempotent).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> WatchlistAsync(HttpContext context, RemateIdentity identity, Watchlist watchlist, CancellationToken ct) =>
        await context.GetRemateUserAsync(identity) is { } user
            ? WireJsonResult.Ok(await watchlist.ListAsync(user.Id, ct))
            : AdminEndpoints.NotAuthenticated(context);

    private static async Task<IResult> WatchAsync(string id, HttpContext context, RemateIdentity identity, Watchlist watchlist, CancellationToken ct)
    {
        if (await context.GetRemateUserAsync(identity) is not { } user)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        return !AuctionId.TryParse(id, out var auctionId)
            ? Problems.NotFound()
            : await watchlist.WatchAsync(user.Id, auctionId, ct) switch
            {
                null => Problems.NotFound(),
                WatchResult.Full => Problems.Error(ErrorCodes.WatchlistFull, $"A watchlist holds at most {Watchlist.MaxPerUser} auctions; remove one first.", StatusCodes.Status409Conflict),
                _ => TypedResults.NoContent(),
            };
    }

    private static async Task<IResult> UnwatchAsync(string id, HttpContext context, RemateIdentity identity, Watchlist watchlist, CancellationToken ct)
    {
        if (await context.GetRemateUserAsync(identity) is not { } user)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        if (AuctionId.TryParse(id, out var auctionId))
        {
            await watchlist.UnwatchAsync(user.Id, auctionId, ct);
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> MyBidsAsync([FromQuery] string? limit, HttpContext context, RemateIdentity identity, AuctionQueries queries, CancellationToken ct)
    {
        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        var errors = new Dictionary<string, string[]>();
        var take = QueryValues.Parse(limit, "limit", DefaultPage, 1, AuctionQueries.MaxCataloguePage, errors);
        return errors.Count > 0
            ? Problems.Validation(errors)
            : WireJsonResult.Ok(await queries.GetMyBidsAsync(user.Id, (int)take, ct));
    }
}

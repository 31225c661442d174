using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary>The signed-in bidder's own view: "my bids".</summary>
internal static class MyBidsEndpoints
{
    private const int DefaultPage = 50;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/me/bids", MyBidsAsync)
            .WithName("ListMyBids").WithTags("Bidders")
            .WithSummary("The auctions the signed-in user has bid on, most recently bid first (limit 1–100, default 50): status leading, outbid, won, lost or cancelled, their highest bid, and their own maximum while they lead.")
            .Produces<MyBid[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> MyBidsAsync([FromQuery] string? limit, HttpContext context, RemateIdentity identity, AuctionQueries queries, CancellationToken ct)
    {
        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        var take = DefaultPage;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > AuctionQueries.MaxCataloguePage))
        {
            return Problems.Validation("limit", $"limit must be a whole number between 1 and {AuctionQueries.MaxCataloguePage}.");
        }

        return TypedResults.Ok(await queries.GetMyBidsAsync(user.Id, take, ct));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Rest;
using RemateLive.Domain;
using RemateLive.Sales;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// <c>POST /api/sales/{id}/auctioneer</c>: the rostrum. Only the <c>admin</c> role or a host identity in the
/// <c>auctioneer</c> role may call it; each action goes through the sale's single writer like every bid.
/// </summary>
internal static class AuctioneerEndpoints
{
    /// <summary>The host role (besides admin) that may run sales.</summary>
    public const string AuctioneerRole = "auctioneer";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/sales/{id}/auctioneer", CommandAsync).WithName("AuctioneerCommand").WithTags("Auctioneer")
            .WithSummary("One rostrum action: open_lot [lot_id], set_asking amount_cents, fair_warning, sold, pass, withdraw lot_id, pause, resume, floor_bid paddle amount_cents. Answers the sale after it.")
            .Accepts<AuctioneerCommandBody>("application/json").Produces<SaleView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>401 without a user; 403 unless admin or in the host's <c>auctioneer</c> role.</summary>
    internal static async Task<(RemateUser? User, IResult? Denied)> RequireAuctioneerAsync(HttpContext context, RemateIdentity identity)
    {
        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return (null, AdminEndpoints.NotAuthenticated(context));
        }

        return user.IsAdmin || context.User.IsInRole(AuctioneerRole) || user.Role == AuctioneerRole
            ? (user, null)
            : (null, Problems.Error(ErrorCodes.Forbidden, "Running a sale needs the admin or auctioneer role."));
    }

    private static async Task<IResult> CommandAsync(string id, HttpContext context, RemateIdentity identity, LiveSales sales)
    {
        var (_, denied) = await RequireAuctioneerAsync(context, identity);
        if (denied is not null)
        {
            return denied;
        }

        if (!SaleId.TryParse(id, out var saleId))
        {
            return Problems.NotFound("No such sale.");
        }

        var (body, problem) = await JsonBody.ReadAsync<AuctioneerCommandBody>(context);
        if (problem is not null)
        {
            return problem;
        }

        LotId? lot = null;
        if (body!.LotId is not null)
        {
            if (!LotId.TryParse(body.LotId, out var parsed))
            {
                return Problems.Validation("lot_id", "lot_id is not a lot id.");
            }

            lot = parsed;
        }

        Task<SaleCommandResult>? command = body.Action switch
        {
            "open_lot" => sales.OpenLotAsync(saleId, lot),
            "set_asking" when body.AmountCents is > 0 => sales.SetAskingPriceAsync(saleId, Money.FromCents(body.AmountCents.Value)),
            "fair_warning" => sales.FairWarningAsync(saleId),
            "sold" => sales.SellAsync(saleId),
            "pass" => sales.PassAsync(saleId),
            "withdraw" when lot is { } l => sales.WithdrawAsync(saleId, l),
            "pause" => sales.PauseAsync(saleId),
            "resume" => sales.ResumeAsync(saleId),
            "floor_bid" when body.Paddle is > 0 && body.AmountCents is > 0 && await sales.GetAsync(saleId, context.RequestAborted) is { CurrentLotId: { } current } =>
                sales.PlaceBidAsync(saleId, SaleBidRequest.Floor(lot ?? current, Money.FromCents(body.AmountCents.Value), body.Paddle.Value)),
            "floor_bid" when body.Paddle is > 0 && body.AmountCents is > 0 => null,
            _ => null,
        };
        if (command is null)
        {
            return body.Action == "floor_bid" && body.Paddle is > 0 && body.AmountCents is > 0
                ? SaleEndpoints.SaleProblem(new DomainError(SaleErrorCodes.LotNotOpen, "No lot is on offer."), await sales.GetAsync(saleId, context.RequestAborted))
                : Problems.Validation("action", "action must be open_lot, set_asking (amount_cents), fair_warning, sold, pass, withdraw (lot_id), pause, resume or floor_bid (paddle, amount_cents).");
        }

        var result = await command;
        if (result.Error is { } error)
        {
            return error.Code == ErrorCodes.NotFound && result.State is null
                ? Problems.NotFound(error.Message)
                : SaleEndpoints.SaleProblem(error, result.State);
        }

        return WireJsonResult.Ok(SaleView.Of(result.State!));
    }
}

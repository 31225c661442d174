using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Rest;

/// <summary>Admin endpoints: create, close and cancel auctions (the admin policy, <c>remate-admin</c> by default).</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auctions", CreateAsync)
            .WithName("CreateAuction").WithTags("Admin")
            .WithSummary("Creates an auction (admin). increment: {kind: fixed|percent|tiered, amount_cents | basis_points | tiers: [{from_cents, increment_cents}]}.")
            .Accepts<CreateAuctionRequest>("application/json")
            .Produces<AuctionView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/auctions/{id}/close", CloseAsync)
            .WithName("CloseAuction").WithTags("Admin")
            .Produces<AuctionView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/auctions/{id}/cancel", CancelAsync)
            .WithName("CancelAuction").WithTags("Admin")
            .Accepts<CancelAuctionRequest>("application/json")
            .Produces<AuctionView>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, RemateIdentity identity, IAuthorizationService authorization, IOptions<RemateLiveOptions> options, CreateAuction create, ILoggerFactory loggers)
    {
        var (admin, denied) = await RequireAdminAsync(context, identity, authorization, options.Value);
        if (denied is not null)
        {
            return denied;
        }

        var (body, problem) = await JsonBody.ReadAsync<CreateAuctionRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var (command, errors) = ToCommand(body!, admin!.Id);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await create.ExecuteAsync(command!, context.RequestAborted);
        if (!result.Succeeded)
        {
            return Problems.Validation(result.Errors.ToDictionary(e => e.Key, e => e.Value));
        }

        var view = result.Auction!;
        var logger = loggers.CreateLogger("RemateLive.Rest");
        RestLog.AuctionCreated(logger, view.Id, admin.Username, view.Title);
        return WireJsonResult.Created($"{context.Request.PathBase}{context.Request.Path.Value!.TrimEnd('/')}/{view.Id}", view);
    }

    private static async Task<IResult> CloseAsync(string id, HttpContext context, RemateIdentity identity, IAuthorizationService authorization, IOptions<RemateLiveOptions> options, CloseAuction close, ILoggerFactory loggers)
    {
        var (admin, denied) = await RequireAdminAsync(context, identity, authorization, options.Value);
        if (denied is not null)
        {
            return denied;
        }

        if (!AuctionId.TryParse(id, out var auctionId))
        {
            return Problems.NotFound();
        }

        var result = await close.ExecuteAsync(auctionId, CloseReason.Admin, new AuctionActor(admin!.Id, admin.DisplayName), context.RequestAborted);
        return Ended(result, auctionId, "closed", admin!, loggers);
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext context, RemateIdentity identity, IAuthorizationService authorization, IOptions<RemateLiveOptions> options, CancelAuction cancel, ILoggerFactory loggers)
    {
        var (admin, denied) = await RequireAdminAsync(context, identity, authorization, options.Value);
        if (denied is not null)
        {
            return denied;
        }

        if (!AuctionId.TryParse(id, out var auctionId))
        {
            return Problems.NotFound();
        }

        var (body, problem) = await JsonBody.ReadAsync<CancelAuctionRequest>(context, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.Reason is { Length: > 500 })
        {
            return Problems.Validation("reason", "reason must have at most 500 characters.");
        }

        var result = await cancel.ExecuteAsync(auctionId, body?.Reason ?? "", new AuctionActor(admin!.Id, admin.DisplayName), context.RequestAborted);
        return Ended(result, auctionId, "cancelled", admin!, loggers);
    }

    private static IResult Ended(EndAuctionResult result, AuctionId id, string action, RemateUser admin, ILoggerFactory loggers)
    {
        if (result.Error is { } error)
        {
            // Closing what is already closed is a conflict with the auction's state, not a bad bid.
            return error.Code is ErrorCodes.AuctionClosed or ErrorCodes.AuctionNotOpen
                ? Problems.Error(error.Code, error.Message, StatusCodes.Status409Conflict)
                : Problems.Error(error);
        }

        var logger = loggers.CreateLogger("RemateLive.Rest");

        RestLog.AuctionEnded(logger, id, action, admin.Username);
        return WireJsonResult.Ok(result.Auction!);
    }

    /// <summary>401 NOT_AUTHENTICATED without a user; 403 FORBIDDEN when the admin policy fails.</summary>
    internal static async Task<(RemateUser? User, IResult? Denied)> RequireAdminAsync(HttpContext context, RemateIdentity identity, IAuthorizationService authorization, RemateLiveOptions options)
    {
        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return (null, NotAuthenticated(context));
        }

        var allowed = await authorization.AuthorizeAsync(context.User, null, options.Identity.AdminPolicy);
        return allowed.Succeeded
            ? (user, null)
            : (null, Problems.Error(ErrorCodes.Forbidden, "This operation needs the admin role."));
    }

    internal static IResult NotAuthenticated(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Error(ErrorCodes.NotAuthenticated, "Sign in (POST /api/auth/login) and send the token as 'Authorization: Bearer <token>'.");
    }

    private static (CreateAuctionCommand? Command, Dictionary<string, string[]> Errors) ToCommand(CreateAuctionRequest r, UserId seller)
    {
        var errors = new Dictionary<string, string[]>();
        void Missing(string field) => errors[field] = [$"{field} is required."];
        if (r.Title is null)
        {
            Missing("title");
        }

        if (r.Currency is null)
        {
            Missing("currency");
        }

        if (r.StartingPriceCents is null)
        {
            Missing("starting_price_cents");
        }

        if (r.EndsAt is null)
        {
            Missing("ends_at");
        }

        IncrementRule? increment = null;
        if (r.Increment is null)
        {
            Missing("increment");
        }
        else if (string.IsNullOrWhiteSpace(r.Increment.Kind))
        {
            Missing("increment.kind");
        }
        else if (r.Increment.Tiers?.Any(t => t is null || t.FromCents is null || t.IncrementCents is null) == true)
        {
            errors["increment.tiers"] = ["Every tier needs from_cents and increment_cents."];
        }
        else
        {
            increment = new IncrementRule
            {
                Kind = r.Increment.Kind.Trim().ToLowerInvariant(),
                AmountCents = r.Increment.AmountCents,
                BasisPoints = r.Increment.BasisPoints,
                Tiers = r.Increment.Tiers?.Select(t => new IncrementTier(t.FromCents!.Value, t.IncrementCents!.Value)).ToArray(),
            };
        }

        SoftClosePolicy? softClose = null;
        if (r.SoftClose is { } sc)
        {
            if (sc.WindowSeconds is null || sc.ExtensionSeconds is null || sc.MaxExtensions is null)
            {
                errors["soft_close"] = ["soft_close needs window_seconds, extension_seconds and max_extensions."];
            }
            else
            {
                softClose = new SoftClosePolicy(sc.WindowSeconds.Value, sc.ExtensionSeconds.Value, sc.MaxExtensions.Value);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new CreateAuctionCommand
        {
            Title = r.Title!,
            Description = r.Description,
            ImageUrl = r.ImageUrl,
            Currency = r.Currency!,
            StartingPriceCents = r.StartingPriceCents!.Value,
            Increment = increment!,
            ReservePriceCents = r.ReservePriceCents,
            BuyNowPriceCents = r.BuyNowPriceCents,
            StartsAt = r.StartsAt,
            EndsAt = r.EndsAt!.Value,
            SoftClose = softClose,
            AnonymousBidding = r.AnonymousBidding ?? false,
            SellerId = seller,
        }, errors);
    }
}

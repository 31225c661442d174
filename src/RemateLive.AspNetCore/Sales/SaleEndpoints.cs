using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Rest;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Sales;

/// <summary>The catalogue, the event log and the bidders' endpoints of live sales (<c>/api/sales…</c>).</summary>
internal static class SaleEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/sales", ListAsync).WithName("ListSales").WithTags("Sales").Produces<SaleView[]>();
        api.MapGet("/sales/{id}", GetAsync).WithName("GetSale").WithTags("Sales")
            .Produces<SaleView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/sales/{id}/events", EventsAsync).WithName("GetSaleEvents").WithTags("Sales")
            .WithSummary("The sale's events after after_seq (default 0), at most limit (1–500, default 100), as the socket sends them.")
            .Produces<SaleEventEnvelope[]>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/sales", CreateAsync).WithName("CreateSale").WithTags("Auctioneer")
            .WithSummary("Creates a live sale with its catalogue (admin or auctioneer).")
            .Accepts<CreateSaleRequest>("application/json").Produces<SaleView>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/sales/{id}/bids", BidAsync).WithName("PlaceSaleBid").WithTags("Sales")
            .WithSummary("Bids the asking price on the lot on offer (signed-in users). amount_cents must equal the asking price, else 409 ASKING_PRICE_CHANGED.")
            .Accepts<SaleBidRequestBody>("application/json").Produces<SaleBidAccepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/sales/{id}/lots/{lotId}/absentee-bids", AbsenteeAsync).WithName("PlaceAbsenteeBid").WithTags("Sales")
            .WithSummary("Leaves (or replaces) a secret maximum on a lot that has not opened (signed-in users). It is never shown; it bids for you at the asking price.")
            .Accepts<AbsenteeBidRequestBody>("application/json").Produces<AbsenteeBidAccepted>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ListAsync(LiveSales sales, HttpContext context) =>
        WireJsonResult.Ok((await sales.ListAsync(context.RequestAborted)).Select(SaleView.Of).ToArray());

    private static async Task<IResult> GetAsync(string id, LiveSales sales, HttpContext context) =>
        SaleId.TryParse(id, out var saleId) && await sales.GetAsync(saleId, context.RequestAborted) is { } sale
            ? WireJsonResult.Ok(SaleView.Of(sale))
            : Problems.NotFound("No such sale.");

    private static async Task<IResult> EventsAsync(string id, LiveSales sales, HttpContext context, long? after_seq, int? limit)
    {
        if (!SaleId.TryParse(id, out var saleId) || await sales.GetAsync(saleId, context.RequestAborted) is null)
        {
            return Problems.NotFound("No such sale.");
        }

        if (after_seq is < 0 || limit is < 1 or > 500)
        {
            return Problems.Validation("limit", "after_seq must not be negative; limit must be 1–500.");
        }

        var events = await sales.GetEventsAsync(saleId, after_seq ?? 0, limit ?? 100, context.RequestAborted);
        return WireJsonResult.Ok(events.Select(e => new SaleEventEnvelope(e.TypeName, SaleMessages.Payload(e))).ToArray());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, RemateIdentity identity, LiveSales sales, TimeProvider time)
    {
        var (user, denied) = await AuctioneerEndpoints.RequireAuctioneerAsync(context, identity);
        if (denied is not null)
        {
            return denied;
        }

        var (body, problem) = await JsonBody.ReadAsync<CreateSaleRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        IncrementRule? increment = null;
        if (body!.Increment is not { Kind: { Length: > 0 } kind } inc)
        {
            errors["increment"] = ["increment.kind is required."];
        }
        else if (inc.Tiers?.Any(t => t is null || t.FromCents is null || t.IncrementCents is null) == true)
        {
            errors["increment.tiers"] = ["Every tier needs from_cents and increment_cents."];
        }
        else
        {
            increment = new IncrementRule
            {
                Kind = kind.Trim().ToLowerInvariant(),
                AmountCents = inc.AmountCents,
                BasisPoints = inc.BasisPoints,
                Tiers = inc.Tiers?.Select(t => new IncrementTier(t!.FromCents!.Value, t.IncrementCents!.Value)).ToArray(),
            };
        }

        if (body.Lots?.Any(l => l is null || l.StartingPriceCents is null) == true)
        {
            errors["lots"] = ["Every lot needs title and starting_price_cents."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var (sale, invalid) = await sales.CreateAsync(
            new CreateSaleCommand(
                body.Title ?? "",
                body.Currency ?? "",
                increment!,
                body.StartsAt ?? time.GetUtcNow(),
                [.. (body.Lots ?? []).Select(l => new NewLot(l!.Title ?? "", l.StartingPriceCents!.Value, l.Description))],
                user!.Id),
            context.RequestAborted);
        return sale is null
            ? Problems.Validation(invalid.ToDictionary(e => e.Key, e => e.Value))
            : WireJsonResult.Status(StatusCodes.Status201Created, SaleView.Of(sale));
    }

    private static async Task<IResult> BidAsync(string id, HttpContext context, RemateIdentity identity, RemateRateLimits limits, LiveSales sales)
    {
        if (!SaleId.TryParse(id, out var saleId))
        {
            return Problems.NotFound("No such sale.");
        }

        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        var (body, problem) = await JsonBody.ReadAsync<SaleBidRequestBody>(context);
        if (problem is not null)
        {
            return problem;
        }

        if (!LotId.TryParse(body!.LotId, out var lot) || body.AmountCents is not > 0)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["lot_id"] = ["lot_id is required."], ["amount_cents"] = ["amount_cents (the asking price) must be positive."] });
        }

        var limit = await limits.ForBidAsync(user.Id, context.RequestAborted);
        if (!limit.Allowed)
        {
            return AuthEndpoints.RateLimited(context, limit.RetryAfter);
        }

        var result = await sales.PlaceBidAsync(saleId, SaleBidRequest.Online(lot, Money.FromCents(body.AmountCents.Value), user.Id, user.DisplayName));
        if (result.Error is { } error)
        {
            return SaleProblem(error, result.State);
        }

        var own = result.Events.OfType<SaleBidPlaced>().First();
        return WireJsonResult.Status(StatusCodes.Status201Created, new SaleBidAccepted(lot.ToString(), own.Paddle, own.Seq));
    }

    private static async Task<IResult> AbsenteeAsync(string id, string lotId, HttpContext context, RemateIdentity identity, RemateRateLimits limits, LiveSales sales)
    {
        if (!SaleId.TryParse(id, out var saleId) || !LotId.TryParse(lotId, out var lot))
        {
            return Problems.NotFound("No such sale or lot.");
        }

        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        var (body, problem) = await JsonBody.ReadAsync<AbsenteeBidRequestBody>(context);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.MaxAmountCents is not > 0)
        {
            return Problems.Validation("max_amount_cents", "max_amount_cents must be a positive whole number of cents.");
        }

        var limit = await limits.ForBidAsync(user.Id, context.RequestAborted);
        if (!limit.Allowed)
        {
            return AuthEndpoints.RateLimited(context, limit.RetryAfter);
        }

        var result = await sales.PlaceAbsenteeBidAsync(saleId, lot, user.Id, user.DisplayName, Money.FromCents(body.MaxAmountCents.Value));
        return result.Error is { } error
            ? SaleProblem(error, result.State)
            : WireJsonResult.Status(StatusCodes.Status201Created, new AbsenteeBidAccepted(lot.ToString(), result.State!.PaddleOf(user.Id)!.Value, body.MaxAmountCents.Value));
    }

    /// <summary>A refused sale command as problem details: state conflicts are 409 and carry the lot on offer and its asking price.</summary>
    internal static IResult SaleProblem(DomainError error, SaleState? sale)
    {
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (sale?.CurrentLot is { } lot)
        {
            extra["lot_id"] = lot.Id.ToString();
            extra["asking_price_cents"] = lot.AskingPrice?.Cents;
        }

        if (sale is not null)
        {
            extra["seq"] = sale.Seq;
        }

        var status = error.Code.StartsWith("SALE_", StringComparison.Ordinal) || error.Code.StartsWith("LOT_", StringComparison.Ordinal)
            || error.Code is SaleErrorCodes.NoPendingLots or SaleErrorCodes.NoLeadingBid or SaleErrorCodes.AskingPriceChanged or SaleErrorCodes.AlreadyLeading
            ? StatusCodes.Status409Conflict
            : (int?)null;
        return Problems.Error(error.Code, error.Message, status, extra);
    }
}

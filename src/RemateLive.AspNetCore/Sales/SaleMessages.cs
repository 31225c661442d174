using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.Sales;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// Sale messages (<c>{"type", "payload"}</c>, snake_case) shared by <c>/ws/sales/{id}</c>, <c>/hubs/sales</c>
/// and <c>GET /api/sales/{id}/events</c>. Every recipient gets the same bytes for an event (bidders are
/// told apart by paddle, never by name), so each event is serialized once per node.
/// </summary>
internal static class SaleMessages
{
    public const string AuthOkType = "auth_ok";
    public const string BidOkType = "bid_ok";
    public const string BidErrorType = "bid_error";

    private static readonly ConditionalWeakTable<SaleEvent, ServerMessage> Cache = [];

    /// <summary>The message of a durable sale event (cached per event instance).</summary>
    public static ServerMessage FromEvent(SaleEvent e) => Cache.GetValue(e, static e => new ServerMessage(e.TypeName, Payload(e)));

    /// <summary>The hold-back of a connection catching up overflowed (it is closed; the client resumes after reconnecting).</summary>
    public static ServerMessage CatchUpOverflow(int maxHeldBack) => ServerMessages.Error(
        SaleErrorCodes.CatchUpOverflow,
        $"More than {maxHeldBack} live events arrived while this connection was catching up; reconnect and resume from your last seq.");

    /// <summary>The payload object of a sale event.</summary>
    public static object Payload(SaleEvent saleEvent) => saleEvent switch
    {
        LotOpened e => new LotOpenedPayload(e.SaleId, e.Seq, e.LotId, e.LotNumber, e.Title, e.StartingPrice.Cents, e.AskingPrice.Cents, e.OccurredAt),
        AskingPriceSet e => new AskingPricePayload(e.SaleId, e.Seq, e.LotId, e.AskingPrice.Cents, e.OccurredAt),
        SaleBidPlaced e => new SaleBidPlacedPayload(e.SaleId, e.Seq, e.LotId, e.BidId, e.Amount.Cents, e.Source, e.Paddle, e.AskingPrice.Cents, e.BidCount, e.OccurredAt),
        FairWarningGiven e => new FairWarningPayload(e.SaleId, e.Seq, e.LotId, e.LeadingAmount?.Cents, e.OccurredAt),
        LotSold e => new LotSoldPayload(e.SaleId, e.Seq, e.LotId, e.Price.Cents, e.Source, e.Paddle, e.OccurredAt),
        LotPassed e => new LotPassedPayload(e.SaleId, e.Seq, e.LotId, e.HighestBid?.Cents, e.OccurredAt),
        LotWithdrawn e => new LotWithdrawnPayload(e.SaleId, e.Seq, e.LotId, e.OccurredAt),
        SalePaused e => new SaleStatePayload(e.SaleId, e.Seq, e.OccurredAt),
        SaleResumed e => new SaleStatePayload(e.SaleId, e.Seq, e.OccurredAt),
        SaleEnded e => new SaleEndedPayload(e.SaleId, e.Seq, e.Sold, e.Passed, e.Withdrawn, e.OccurredAt),
        _ => throw new ArgumentOutOfRangeException(nameof(saleEvent), saleEvent.GetType().Name, "Unknown sale event."),
    };

    public static ServerMessage AuthOk(RemateLive.AspNetCore.Identity.RemateUser user, SaleState sale, DateTimeOffset serverTime) =>
        new(AuthOkType, new SaleAuthOkPayload(user.Id, user.Username, user.DisplayName, SaleView.Of(sale), sale.PaddleOf(user.Id), serverTime));

    public static ServerMessage BidOk(LotId lot, int paddle, long seq) => new(BidOkType, new SaleBidOkPayload(lot, paddle, seq));

    public static ServerMessage BidError(DomainError error, SaleState? sale) =>
        new(BidErrorType, new SaleBidErrorPayload(error.Message, error.Code, sale?.CurrentLotId, sale?.CurrentLot?.AskingPrice?.Cents, sale?.Seq));
}

internal sealed record SaleAuthOkPayload(UserId UserId, string Username, string DisplayName, SaleView Sale, int? YourPaddle, DateTimeOffset ServerTime);

internal sealed record SaleBidOkPayload(LotId LotId, int Paddle, long Seq);

internal sealed record SaleBidErrorPayload(string Error, string Code, LotId? LotId, long? AskingPriceCents, long? Seq);

internal sealed record LotOpenedPayload(SaleId SaleId, long Seq, LotId LotId, int LotNumber, string Title, long StartingPriceCents, long AskingPriceCents, DateTimeOffset OccurredAt);

internal sealed record AskingPricePayload(SaleId SaleId, long Seq, LotId LotId, long AskingPriceCents, DateTimeOffset OccurredAt);

internal sealed record SaleBidPlacedPayload(SaleId SaleId, long Seq, LotId LotId, BidId BidId, long AmountCents, BidSource Source, int Paddle, long AskingPriceCents, int BidCount, DateTimeOffset OccurredAt);

internal sealed record FairWarningPayload(SaleId SaleId, long Seq, LotId LotId, long? LeadingBidCents, DateTimeOffset OccurredAt);

internal sealed record LotSoldPayload(SaleId SaleId, long Seq, LotId LotId, long PriceCents, BidSource Source, int Paddle, DateTimeOffset OccurredAt);

internal sealed record LotPassedPayload(SaleId SaleId, long Seq, LotId LotId, long? HighestBidCents, DateTimeOffset OccurredAt);

internal sealed record LotWithdrawnPayload(SaleId SaleId, long Seq, LotId LotId, DateTimeOffset OccurredAt);

internal sealed record SaleStatePayload(SaleId SaleId, long Seq, DateTimeOffset OccurredAt);

internal sealed record SaleEndedPayload(SaleId SaleId, long Seq, int Sold, int Passed, int Withdrawn, DateTimeOffset OccurredAt);

/// <summary>A stored event as <c>GET /api/sales/{id}/events</c> lists it: the socket's envelope.</summary>
internal sealed record SaleEventEnvelope(string Type, [property: JsonPropertyName("payload")] object Payload);

using System.Text.Json;
using System.Text.Json.Serialization;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One server → client message: <c>{"type": …, "payload": {…}}</c>. On the native socket it is sent as
/// <see cref="Utf8"/> (serialized once, shared by every recipient); on SignalR <see cref="Type"/> is the
/// client handler's name and <see cref="Payload"/> its argument.
/// </summary>
internal sealed class ServerMessage
{
    private readonly Lazy<(byte[] Bytes, Range Payload)> _utf8;

    public ServerMessage(string type, object payload)
    {
        Type = type;
        Payload = payload;
        _utf8 = new Lazy<(byte[], Range)>(Serialize); // thread-safe: serialized once however many writers ask
    }

    /// <summary>The message type (<c>bid_placed</c>, …).</summary>
    public string Type { get; }

    /// <summary>The payload object (serialized with <see cref="WireJson.Options"/>).</summary>
    public object Payload { get; }

    /// <summary>The whole envelope as UTF-8 JSON, serialized on first use.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Utf8 => _utf8.Value.Bytes;

    /// <summary>The payload alone as UTF-8 JSON (a slice of <see cref="Utf8"/>): SignalR's argument.</summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> PayloadUtf8 => _utf8.Value.Bytes.AsMemory(_utf8.Value.Payload);

    private (byte[], Range) Serialize()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        int start, end;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", Type);
            writer.WritePropertyName("payload");
            writer.Flush();
            start = buffer.WrittenCount; // WritePropertyName already wrote the colon
            JsonSerializer.Serialize(writer, Payload, Payload.GetType(), WireJson.Options);
            writer.Flush();
            end = buffer.WrittenCount;
            writer.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), start..end);
    }
}

/// <summary>
/// Every server → client message shape (snake_case on the wire). The REST events endpoint uses
/// <see cref="FromEvent(AuctionEvent, bool, DateTimeOffset)"/> so its payloads are the socket's.
/// </summary>
internal static class ServerMessages
{
    public const string AuthOkType = "auth_ok";
    public const string AuthErrorType = "auth_error";
    public const string BidPlacedType = "bid_placed";
    public const string BidErrorType = "bid_error";
    public const string OutbidType = "outbid";
    public const string AuctionExtendedType = "auction_extended";
    public const string UserJoinedType = "user_joined";
    public const string UserLeftType = "user_left";
    public const string AuctionClosedType = "auction_closed";
    public const string AuctionCancelledType = "auction_cancelled";
    public const string MaxRaisedType = "max_raised";
    public const string ErrorType = "error";
    public const string PingType = "ping";
    public const string PongType = "pong";

    /// <summary>
    /// The message for a durable event. <paramref name="toBidder"/> marks the bid as the recipient's own
    /// (<c>yours: true</c>) and keeps its idempotency key (only the bidder may see it); everyone else gets
    /// it without. Bidders are told apart by their paddle number, never by display name.
    /// </summary>
    public static ServerMessage FromEvent(AuctionEvent auctionEvent, bool toBidder, DateTimeOffset serverTime) => auctionEvent switch
    {
        BidPlaced e => new(BidPlacedType, new BidPlacedPayload(
            e.AuctionId,
            e.Bid.Id,
            e.Bid.BidderName,
            e.Bid.Paddle,
            e.Bid.Amount.Cents,
            e.Seq,
            e.Seq,
            e.Bid.PlacedAt,
            e.EndsAt,
            e.MinNextBid.Cents,
            e.BidCount,
            e.Bid.Kind,
            e.ReserveMet,
            e.BuyNowPrice?.Cents,
            serverTime,
            toBidder,
            toBidder ? e.IdempotencyKey : null)),
        AuctionExtended e => new(AuctionExtendedType, new AuctionExtendedPayload(e.AuctionId, e.EndsAt, e.Extensions, e.Seq, serverTime)),
        AuctionClosed e => new(AuctionClosedType, new AuctionClosedPayload(e.AuctionId, e.WinnerName, e.WinnerPaddle, e.FinalPrice?.Cents, e.ReserveMet, e.Reason, e.Actor?.Id, e.Actor?.Name, e.Seq, serverTime)),
        AuctionCancelled e => new(AuctionCancelledType, new AuctionCancelledPayload(e.AuctionId, e.Reason, e.Actor?.Id, e.Actor?.Name, e.Seq, serverTime)),
        // The amount and the key only to the leader who raised it: others learn that the leader raised, not to what.
        MaximumRaised e => new(MaxRaisedType, new MaxRaisedPayload(e.AuctionId, e.Seq, e.Paddle, serverTime, toBidder, toBidder ? e.Maximum.Cents : null, toBidder ? e.IdempotencyKey : null)),
        _ => throw new ArgumentOutOfRangeException(nameof(auctionEvent), auctionEvent.GetType().Name, "Unknown event type."),
    };

    /// <summary>The same, at <paramref name="serverTime"/>, for everyone but the bidder.</summary>
    public static ServerMessage FromEvent(AuctionEvent auctionEvent, DateTimeOffset serverTime) => FromEvent(auctionEvent, toBidder: false, serverTime);

    /// <summary>Sent to the user who lost the lead, right after the <c>bid_placed</c> that outbid them.</summary>
    public static ServerMessage Outbid(BidPlaced e) =>
        new(OutbidType, new OutbidPayload(e.AuctionId, e.Bid.Amount.Cents, e.Bid.BidderName, e.Bid.Paddle, e.MinNextBid.Cents, e.Seq));

    public static ServerMessage AuthOk(
        RemateLive.AspNetCore.Identity.RemateUser user,
        string? token,
        AuctionView auction,
        IEnumerable<Bid> recentBids,
        long onlineCount,
        DateTimeOffset serverTime,
        long? yourMaxCents) =>
        new(AuthOkType, new AuthOkPayload(
            user.Id,
            user.Username,
            user.DisplayName,
            token,
            auction,
            [.. recentBids.Select(b => BidObject(b, yours: b.BidderId == user.Id))],
            onlineCount,
            serverTime,
            yourMaxCents));

    public static ServerMessage AuthError(DomainError error) => new(AuthErrorType, new ErrorPayload(error.Message, error.Code));

    public static ServerMessage BidError(DomainError error, string? idempotencyKey, AuctionView? auction, TimeSpan? retryAfter = null) =>
        new(BidErrorType, new BidErrorPayload(
            error.Message,
            error.Code,
            idempotencyKey,
            auction?.CurrentPriceCents,
            auction?.MinNextBidCents,
            auction?.Version,
            retryAfter is { } r ? (int)Math.Ceiling(r.TotalSeconds) : null));

    public static ServerMessage Presence(PresenceNotice notice) =>
        new(notice.Joined ? UserJoinedType : UserLeftType, new PresencePayload(notice.AuctionId, notice.Username, notice.DisplayName, notice.OnlineCount));

    public static ServerMessage Error(string code, string message) => new(ErrorType, new ErrorPayload(message, code));

    public static ServerMessage Ping(DateTimeOffset serverTime) => new(PingType, new PingPayload(serverTime));

    /// <summary>The answer to a client's <c>ping</c>.</summary>
    public static ServerMessage Pong(string? nonce, DateTimeOffset serverTime) => new(PongType, new PongPayload(nonce, serverTime));

    /// <summary>The spec's <c>bid</c> object; <paramref name="yours"/> when it goes to the bidder who placed it.</summary>
    public static BidObjectPayload BidObject(Bid bid, bool yours) =>
        new(bid.Id, bid.AuctionId, bid.BidderName, bid.Paddle, bid.Amount.Cents, bid.Seq, bid.PlacedAt, bid.Kind, yours);
}

internal sealed record AuthOkPayload(
    UserId UserId,
    string Username,
    string DisplayName,
    string? Token,
    AuctionView Auction,
    IReadOnlyList<BidObjectPayload> RecentBids,
    long OnlineCount,
    DateTimeOffset ServerTime,
    long? YourMaxCents);

internal sealed record BidObjectPayload(BidId BidId, AuctionId AuctionId, string BidderName, int Paddle, long AmountCents, long Seq, DateTimeOffset PlacedAt, BidKind Kind, bool Yours);

internal sealed record BidPlacedPayload(
    AuctionId AuctionId,
    BidId BidId,
    string BidderName,
    int Paddle,
    long AmountCents,
    long NewVersion,
    long Seq,
    DateTimeOffset PlacedAt,
    DateTimeOffset EndsAt,
    long MinNextBidCents,
    int BidCount,
    BidKind Kind,
    bool? ReserveMet,
    long? BuyNowPriceCents,
    DateTimeOffset ServerTime,
    bool Yours,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdempotencyKey);

internal sealed record BidErrorPayload(
    string Error,
    string Code,
    string? IdempotencyKey,
    long? CurrentPriceCents,
    long? MinNextBidCents,
    long? Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds);

internal sealed record OutbidPayload(AuctionId AuctionId, long AmountCents, string BidderName, int Paddle, long MinNextBidCents, long Seq);

internal sealed record AuctionExtendedPayload(AuctionId AuctionId, DateTimeOffset EndsAt, int Extensions, long Seq, DateTimeOffset ServerTime);

internal sealed record AuctionClosedPayload(AuctionId AuctionId, string? WinnerName, int? WinnerPaddle, long? FinalPriceCents, bool? ReserveMet, CloseReason Reason, UserId? ActorId, string? ActorName, long Seq, DateTimeOffset ServerTime);

internal sealed record MaxRaisedPayload(
    AuctionId AuctionId,
    long Seq,
    int Paddle,
    DateTimeOffset ServerTime,
    bool Yours,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MaxAmountCents,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdempotencyKey);

internal sealed record AuctionCancelledPayload(AuctionId AuctionId, string Reason, UserId? ActorId, string? ActorName, long Seq, DateTimeOffset ServerTime);

internal sealed record PresencePayload(AuctionId AuctionId, string Username, string DisplayName, long OnlineCount);

internal sealed record ErrorPayload(string Error, string Code);

internal sealed record PingPayload(DateTimeOffset ServerTime);

internal sealed record PongPayload(string? Nonce, DateTimeOffset ServerTime);

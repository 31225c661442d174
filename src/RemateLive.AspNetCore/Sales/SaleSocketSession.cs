using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.Sales;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// One live sale over a native WebSocket, on the same <see cref="SocketSession{TMessage}"/> core as the
/// auction rooms (message limits, auth deadline, the node's heartbeat, client ping → pong, bounded send
/// queue). The client sends <c>auth</c> (<c>token</c>, optional <c>last_seq</c>), then gets <c>auth_ok</c>
/// and every sale event in seq order, the catch-up replayed in the background; <c>bid</c> (<c>lot_id</c>,
/// <c>amount_cents</c> = the asking price) is answered <c>bid_ok</c> or <c>bid_error</c>; <c>resume</c>
/// replays after <c>last_seq</c>. Bad input gets <c>error</c> with a <c>code</c> and the connection stays open.
/// </summary>
internal sealed class SaleSocketSession : SocketSession<SaleClientMessage>
{
    /// <summary>The close status when a connection fell too far behind while catching up (1013, try again later).</summary>
    public const WebSocketCloseStatus CatchUpOverflowStatus = (WebSocketCloseStatus)1013;

    // Not a type a client can send (it has a control character): marks a message that did not parse.
    private const string InvalidType = "\u0000invalid";

    private readonly SaleSocketEndpoint _endpoint;
    private readonly SaleId _saleId;
    private volatile Member? _member;

    public SaleSocketSession(SaleSocketEndpoint endpoint, HttpContext context, WebSocket socket, SaleId saleId)
        : base(context, socket, endpoint.Options, endpoint.Time, endpoint.Heartbeat, endpoint.Caps, endpoint.Identity)
    {
        _endpoint = endpoint;
        _saleId = saleId;
    }

    protected override SaleClientMessage Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return SaleClientMessage.Parse(utf8.Span);
        }
        catch (JsonException ex)
        {
            return new SaleClientMessage(InvalidType, ex.Message, null, null, null);
        }
    }

    protected override async Task HandleAsync(SaleClientMessage message, CancellationToken ct)
    {
        var member = _member;
        switch (message.Type)
        {
            case InvalidType:
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, message.Token ?? "Invalid message."));
                break;
            case "auth" when member is not null:
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "Already authenticated."));
                break;
            case "auth":
                await AuthenticateAsync(message, ct);
                break;
            case "pong":
                break; // the read already recorded the activity
            case "ping":
                AnswerPing(message.Nonce);
                break;
            case "bid" or "resume" when member is null:
                Send(ServerMessages.Error(ErrorCodes.NotAuthenticated, "Send auth first."));
                break;
            case "resume" when !TryStartReplay():
                Send(ServerMessages.Error(ErrorCodes.RateLimited, "Too many replays on this connection; slow down."));
                break;
            case "resume":
                member.Subscriber.StartReplay(message.LastSeq ?? 0, ct);
                break;
            case "bid":
                await BidAsync(member.User, message, ct);
                break;
            default:
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, $"Unknown message type '{message.Type}'."));
                break;
        }
    }

    protected override ValueTask OnEndedAsync()
    {
        _member?.Subscriber.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void LogFailed(Exception ex) => SaleSocketEndpoint.LogFailed(_endpoint.Logger, ex, Connection.Id, _saleId);

    protected override void LogEnded(string reason) => SaleSocketEndpoint.LogEnded(_endpoint.Logger, Connection.Id, _saleId, reason);

    private async Task AuthenticateAsync(SaleClientMessage message, CancellationToken ct)
    {
        var user = await FromUpgradeRequestAsync() ?? await _endpoint.Identity.ValidateTokenAsync(message.Token, ct);
        if (user is null)
        {
            AuthFailed(new DomainError(ErrorCodes.NotAuthenticated, "The token is invalid, expired or revoked."));
            return;
        }

        if (!TryOpenUserSlot(user.Id))
        {
            return;
        }

        var sale = await _endpoint.Sales.GetAsync(_saleId, ct);
        if (sale is null)
        {
            Send(ServerMessages.Error(ErrorCodes.NotFound, "No such sale."));
            Connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "No such sale.");
            return;
        }

        var lastSeq = message.LastSeq is { } last ? Math.Clamp(last, 0, sale.Seq) : sale.Seq;
        if (lastSeq < sale.Seq)
        {
            _ = TryStartReplay(); // the join's catch-up takes a replay token like a resume
        }

        MarkAuthenticated();
        Send(SaleMessages.AuthOk(user, sale, Time.GetUtcNow()));
        var subscriber = new SaleSubscriber(
            Connection,
            _saleId,
            _endpoint.Sales,
            _endpoint.Feed,
            () => Close(CatchUpOverflowStatus, $"{SaleErrorCodes.CatchUpOverflow}: fell behind while catching up; reconnect and resume."));
        _member = new Member(user, subscriber);
        subscriber.Start(sale.Seq, lastSeq, ct);
    }

    private async Task BidAsync(RemateUser user, SaleClientMessage message, CancellationToken ct)
    {
        if (message.LotId is not { } lot || message.AmountCents is not > 0)
        {
            Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "bid needs lot_id and a positive amount_cents (the asking price)."));
            return;
        }

        var limit = await _endpoint.RateLimits.ForBidAsync(user.Id, ct);
        if (!limit.Allowed)
        {
            Send(SaleMessages.BidError(new DomainError(ErrorCodes.RateLimited, "Too many bids; slow down."), null));
            return;
        }

        var result = await _endpoint.Sales.PlaceBidAsync(_saleId, SaleBidRequest.Online(lot, Money.FromCents(message.AmountCents.Value), user.Id, user.DisplayName));
        if (result.Error is { } error)
        {
            Send(SaleMessages.BidError(error, result.State));
            return;
        }

        var own = result.Events.OfType<SaleBidPlaced>().First();
        Send(SaleMessages.BidOk(lot, own.Paddle, own.Seq));
    }

    private sealed record Member(RemateUser User, SaleSubscriber Subscriber);
}

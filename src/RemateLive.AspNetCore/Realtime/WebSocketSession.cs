using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One native WebSocket client of an auction room, on the shared <see cref="SocketSession{TMessage}"/>
/// core (message limits, auth deadline, heartbeat, client ping): answers bids, replays on <c>resume</c>,
/// and announces the user as left when the socket ends or is closed.
/// </summary>
internal sealed class WebSocketSession : SocketSession<ClientMessage>
{
    private readonly WebSocketEndpoint _endpoint;
    private readonly AuctionId _auctionId;
    private volatile RoomMembership? _membership;

    public WebSocketSession(WebSocketEndpoint endpoint, HttpContext context, WebSocket socket, AuctionId auctionId)
        : base(context, socket, endpoint.Options, endpoint.Time, endpoint.Heartbeat, endpoint.Caps, endpoint.Identity)
    {
        _endpoint = endpoint;
        _auctionId = auctionId;
    }

    protected override ClientMessage Parse(ReadOnlyMemory<byte> utf8) => ClientMessages.Parse(utf8);

    protected override async ValueTask OnEndedAsync()
    {
        if (_membership is { } membership)
        {
            await _endpoint.Rooms.LeaveAsync(membership);
        }
    }

    // The client is gone as far as the room is concerned: announce it now, not when (or if) it completes the close handshake.
    protected override void OnClosing()
    {
        if (_membership is { } membership)
        {
            _ = _endpoint.Rooms.LeaveAsync(membership);
        }
    }

    protected override void LogFailed(Exception ex) => WebSocketEndpoint.LogSessionFailed(_endpoint.Logger, ex, Connection.Id, _auctionId);

    protected override void LogEnded(string reason) => WebSocketEndpoint.LogSessionEnded(_endpoint.Logger, Connection.Id, _auctionId, reason);

    protected override async Task HandleAsync(ClientMessage message, CancellationToken ct)
    {
        var membership = _membership;
        switch (message)
        {
            case RejectedMessage { IsBid: true } r when membership is null:
                Send(ServerMessages.BidError(NotAuthenticated, r.IdempotencyKey, null));
                break;
            case RejectedMessage { Code: ErrorCodes.InvalidAmount } r:
                Send(ServerMessages.BidError(new DomainError(r.Code, r.Error), r.IdempotencyKey, null));
                break;
            case RejectedMessage r:
                Send(ServerMessages.Error(r.Code, r.Error));
                break;
            case AuthMessage _ when membership is not null:
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "Already authenticated."));
                break;
            case AuthMessage auth:
                await AuthenticateAsync(auth, ct);
                break;
            case BidMessage bid when membership is null:
                Send(ServerMessages.BidError(NotAuthenticated, bid.IdempotencyKey, null));
                break;
            case BidMessage bid:
                var result = await _endpoint.Bids.PlaceAsync(_auctionId, membership.User, bid, ct);
                if (!result.DeliveredByFeed)
                {
                    Send(result.Reply);
                }

                break;
            case ResumeMessage _ when membership is null:
                Send(ServerMessages.Error(ErrorCodes.NotAuthenticated, "Send auth first."));
                break;
            case ResumeMessage resume when resume.LastSeq < membership.LastSeq && !TryStartReplay():
                Send(ServerMessages.Error(ErrorCodes.RateLimited, "Too many replays on this connection; slow down."));
                break;
            case ResumeMessage resume:
                membership.Resume(resume.LastSeq, ct);
                break;
            case ClientPingMessage ping:
                AnswerPing(ping.Nonce);
                break;
            default: // pong: the read already recorded the activity
                break;
        }
    }

    private async Task AuthenticateAsync(AuthMessage auth, CancellationToken ct)
    {
        var identity = _endpoint.Identity;
        var user = await FromUpgradeRequestAsync();
        var token = auth.Token;
        if (user is null && auth.Username is null && auth.Token is not null)
        {
            // A token alone reuses the identity it was issued for.
            user = await identity.ValidateTokenAsync(auth.Token, ct);
            if (user is null)
            {
                AuthFailed(new DomainError(ErrorCodes.NotAuthenticated, "The token is invalid, expired or revoked."));
                return;
            }
        }

        if (user is null)
        {
            SignInResult signIn;
            try
            {
                signIn = await identity.SignInAsync(auth.Username, auth.DisplayName, auth.Password, auth.Token, ClientAddress.Of(Context), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
                Send(ServerMessages.AuthError(new DomainError(ErrorCodes.Unavailable, "Sign-in is temporarily unavailable; retry.")));
                return;
            }

            if (signIn.User is null)
            {
                AuthFailed(signIn.Error ?? NotAuthenticated);
                return;
            }

            (user, token) = (signIn.User, signIn.Token);
        }

        if (!TryOpenUserSlot(user.Id))
        {
            return;
        }

        if (await _endpoint.Queries.GetAuctionForAsync(_auctionId, user.Id, ct) is not { } found)
        {
            Send(ServerMessages.Error(ErrorCodes.NotFound, "No such auction."));
            Connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "No such auction.");
            return;
        }

        var (view, yourMax) = found;

        if (auth.LastSeq < view.Version)
        {
            _ = TryStartReplay(); // the join's catch-up takes a replay token like a resume
        }

        var recent = Options.RecentBids == 0 ? [] : await _endpoint.Queries.GetBidsAsync(_auctionId, null, Options.RecentBids, ct) ?? [];
        _membership = await _endpoint.Rooms.JoinAsync(
            Connection,
            _auctionId,
            user,
            auth.LastSeq ?? view.Version,
            count =>
            {
                // Authenticated from here on, whatever the presence announcement that follows costs.
                MarkAuthenticated();
                Send(ServerMessages.AuthOk(user, token, view, recent, count, Time.GetUtcNow(), yourMax));
            },
            ct);
    }

    private static DomainError NotAuthenticated => new(ErrorCodes.NotAuthenticated, "Send auth first.");
}

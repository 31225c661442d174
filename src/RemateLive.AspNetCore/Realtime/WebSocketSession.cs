using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One native WebSocket client: reads messages (each at most <c>MaxMessageBytes</c>, else close 1009),
/// requires <c>auth</c> within <c>AuthTimeout</c> (else close 1008), answers bids, replays on
/// <c>resume</c>, and sends <c>ping</c> every <c>PingInterval</c>; silent for two intervals → closed.
/// </summary>
internal sealed class WebSocketSession
{
    private readonly WebSocketEndpoint _endpoint;
    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly AuctionId _auctionId;
    private readonly WebSocketConnection _connection;
    private readonly RemateLiveOptions.RealtimeOptions _options;
    private readonly TimeProvider _time;
    private volatile RoomMembership? _membership;
    private volatile bool _authenticated;
    private ITimer? _authDeadline;
    private static readonly TimeSpan MinClientPingInterval = TimeSpan.FromMilliseconds(250);
    private long _lastActivityTicks;
    private long _lastPongTicks = long.MinValue / 2;
    private int _failedAuths;
    private string? _userSlot;

    public WebSocketSession(WebSocketEndpoint endpoint, HttpContext context, WebSocket socket, AuctionId auctionId)
    {
        _endpoint = endpoint;
        _context = context;
        _socket = socket;
        _auctionId = auctionId;
        _options = endpoint.Options;
        _time = endpoint.Time;
        _connection = new WebSocketConnection(socket, _options.SendQueueCapacity, _time);
        Touch();
    }

    public async Task RunAsync()
    {
        var ct = _context.RequestAborted;
        var writer = _connection.RunAsync(ct);
        var reason = "closed by client";
        _authDeadline = _time.CreateTimer(static s => ((WebSocketSession)s!).OnAuthDeadline(), this, _options.AuthTimeout, Timeout.InfiniteTimeSpan);
        _endpoint.Heartbeat.Add(this);
        try
        {
            await ReceiveLoopAsync(ct);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ConnectionAbortedException or IOException or ObjectDisposedException)
        {
            reason = "connection lost";
        }
        catch (Exception ex)
        {
            reason = "failed";
            WebSocketEndpoint.LogSessionFailed(_endpoint.Logger, ex, _connection.Id, _auctionId);
        }
        finally
        {
            _endpoint.Heartbeat.Remove(this);
            _authDeadline.Dispose();
            _endpoint.Caps.Release(_userSlot);
        }

        if (_membership is { } membership)
        {
            await _endpoint.Rooms.LeaveAsync(membership);
        }

        if (_socket.State == WebSocketState.CloseReceived)
        {
            _connection.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
        }
        else if (!_connection.IsClosing)
        {
            _connection.Abort(AbortReason.Closed);
        }

        await writer;
        _connection.DisposeTimers();
        WebSocketEndpoint.LogSessionEnded(_endpoint.Logger, _connection.Id, _auctionId, reason);
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var limit = _options.MaxMessageBytes;
        while (true)
        {
            // Idle sockets hold no buffer: a zero-byte read waits for data; the buffer is rented per message.
            var peek = await _socket.ReceiveAsync(Memory<byte>.Empty, ct);
            if (peek.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            if (peek.EndOfMessage)
            {
                await OnMessageAsync(peek.MessageType, ReadOnlyMemory<byte>.Empty, ct); // an empty message
                continue;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(limit);
            try
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == limit)
                    {
                        // Over the limit: stop reading it, say why, and wait for the client's close.
                        CloseAndLeave(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {limit} bytes.");
                        count = 0;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count, limit - count), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                var rented = buffer;
                buffer = null;
                await OnMessageAsync(result.MessageType, rented.AsMemory(0, count), ct, rented);
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }

    // Parses one complete message; returns the rented buffer (if any) before handling it.
    private async Task OnMessageAsync(WebSocketMessageType type, ReadOnlyMemory<byte> utf8, CancellationToken ct, byte[]? rented = null)
    {
        ClientMessage message;
        try
        {
            Touch();
            if (_connection.IsClosing || _connection.IsAborted)
            {
                return; // draining until the close handshake completes
            }

            if (type != WebSocketMessageType.Text)
            {
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "Only text (JSON) messages are accepted."));
                return;
            }

            message = ClientMessages.Parse(utf8);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        await HandleAsync(message, ct);
    }

    private async Task HandleAsync(ClientMessage message, CancellationToken ct)
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
            case ClientPingMessage ping when TryAnswerPing():
                Send(ServerMessages.Pong(ping.Nonce, _time.GetUtcNow()));
                break;
            default: // pong, or a ping faster than MinClientPingInterval: Touch() already recorded the activity
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
                signIn = await identity.SignInAsync(auth.Username, auth.DisplayName, auth.Password, auth.Token, ClientAddress.Of(_context), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                WebSocketEndpoint.LogSessionFailed(_endpoint.Logger, ex, _connection.Id, _auctionId);
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

        _userSlot = _endpoint.Caps.TryOpenForUser(user.Id);
        if (_userSlot is null)
        {
            Send(ServerMessages.AuthError(new DomainError(ErrorCodes.RateLimited, $"Too many open connections for this user (at most {_options.MaxConnectionsPerUser}).")));
            _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many connections for this user.");
            return;
        }

        if (await _endpoint.Queries.GetAuctionForAsync(_auctionId, user.Id, ct) is not { } found)
        {
            Send(ServerMessages.Error(ErrorCodes.NotFound, "No such auction."));
            _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "No such auction.");
            return;
        }

        var (view, yourMax) = found;

        if (auth.LastSeq < view.Version)
        {
            _ = TryStartReplay(); // the join's catch-up takes a replay token like a resume
        }

        var recent = _options.RecentBids == 0 ? [] : await _endpoint.Queries.GetBidsAsync(_auctionId, null, _options.RecentBids, ct) ?? [];
        _membership = await _endpoint.Rooms.JoinAsync(
            _connection,
            _auctionId,
            user,
            auth.LastSeq ?? view.Version,
            count =>
            {
                // Authenticated from here on, whatever the presence announcement that follows costs.
                _authenticated = true;
                _authDeadline?.Dispose();
                Send(ServerMessages.AuthOk(user, token, view, recent, count, _time.GetUtcNow(), yourMax));
            },
            ct);
    }

    // A failed auth is answered; after MaxFailedAuthAttempts the socket is closed (guessing costs a new connection).
    private void AuthFailed(DomainError error)
    {
        Send(ServerMessages.AuthError(error));
        if (++_failedAuths >= _options.MaxFailedAuthAttempts)
        {
            _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many failed auth attempts.");
        }
    }

    // The host's own authentication (cookie/JWT) or our bearer token on the upgrade request.
    private async Task<RemateUser?> FromUpgradeRequestAsync()
    {
        if (_context.User.Identity?.IsAuthenticated == true && _endpoint.Identity.FromPrincipal(_context.User) is { } hostUser)
        {
            return hostUser;
        }

        var bearer = await _context.AuthenticateAsync(RemateAuthentication.Scheme);
        return bearer.Succeeded ? _endpoint.Identity.FromPrincipal(bearer.Principal) : null;
    }

    private void OnAuthDeadline()
    {
        if (!_authenticated)
        {
            _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "auth was not received in time.");
        }
    }

    /// <summary>Called by the node's heartbeat every <c>PingInterval</c>: queues the shared <c>ping</c>; false when silent for two intervals.</summary>
    public bool TryPing(DateTimeOffset now, ServerMessage ping)
    {
        if (now.UtcTicks - Interlocked.Read(ref _lastActivityTicks) >= 2 * _options.PingInterval.Ticks)
        {
            return false;
        }

        Send(ping);
        return true;
    }

    /// <summary>Closes a connection the heartbeat found silent (and announces it as left).</summary>
    public void CloseSilent() => CloseAndLeave(WebSocketCloseStatus.EndpointUnavailable, "No pong within two ping intervals.");

    // The client is gone as far as the room is concerned: announce it now, not when (or if) it completes the close handshake.
    private void CloseAndLeave(WebSocketCloseStatus status, string description)
    {
        _connection.RequestClose(status, description);
        if (_membership is { } membership)
        {
            _ = _endpoint.Rooms.LeaveAsync(membership);
        }
    }

    private bool TryStartReplay() => _connection.TryStartReplay(_options.ReplayBurst, _options.ReplaysPerSecond, _time);

    // A client heartbeat is answered at most every MinClientPingInterval, so pings cannot multiply our sends.
    private bool TryAnswerPing()
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now - _lastPongTicks < MinClientPingInterval.Ticks)
        {
            return false;
        }

        _lastPongTicks = now;
        return true;
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);

    private void Send(ServerMessage message) => _connection.Enqueue(message);

    private static DomainError NotAuthenticated => new(ErrorCodes.NotAuthenticated, "Send auth first.");
}

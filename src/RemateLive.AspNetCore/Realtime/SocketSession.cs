using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>A native socket the node's <see cref="WebSocketHeartbeat"/> pings.</summary>
internal interface IHeartbeatSession
{
    /// <summary>Queues the shared <c>ping</c>; false when the client was silent for two intervals.</summary>
    bool TryPing(DateTimeOffset now, ServerMessage ping);

    /// <summary>Closes a connection the heartbeat found silent.</summary>
    void CloseSilent();
}

/// <summary>
/// The transport core of every native socket (auction rooms and live sales alike): a bounded send queue
/// drained by one writer (<see cref="WebSocketConnection"/>: a slow reader overflows only its own queue
/// and is dropped); messages read into a pooled buffer rented only while one arrives (idle sockets hold
/// none; at most <c>MaxMessageBytes</c>, else close 1009); <c>auth</c> within <c>AuthTimeout</c> (else
/// close 1008) and at most <c>MaxFailedAuthAttempts</c> failures; the node's shared heartbeat (silent for
/// two <c>PingInterval</c>s → closed); a client <c>ping</c> answered with <c>pong</c> at most every 250 ms;
/// the per-user connection slot and the replay bucket. Subclasses parse and handle their protocol.
/// </summary>
/// <typeparam name="TMessage">The protocol's parsed client message.</typeparam>
internal abstract class SocketSession<TMessage> : IHeartbeatSession
{
    private static readonly TimeSpan MinClientPingInterval = TimeSpan.FromMilliseconds(250);
    private readonly WebSocketHeartbeat _heartbeat;
    private readonly ConnectionCaps _caps;
    private readonly RemateIdentity _identity;
    private volatile bool _authenticated;
    private ITimer? _authDeadline;
    private long _lastActivityTicks;
    private long _lastPongTicks = long.MinValue / 2;
    private int _failedAuths;
    private string? _userSlot;

    protected SocketSession(
        HttpContext context,
        WebSocket socket,
        RemateLiveOptions.RealtimeOptions options,
        TimeProvider time,
        WebSocketHeartbeat heartbeat,
        ConnectionCaps caps,
        RemateIdentity identity)
    {
        Context = context;
        Socket = socket;
        Options = options;
        Time = time;
        _heartbeat = heartbeat;
        _caps = caps;
        _identity = identity;
        Connection = new WebSocketConnection(socket, options.SendQueueCapacity, time);
        Touch();
    }

    protected HttpContext Context { get; }

    protected WebSocket Socket { get; }

    protected WebSocketConnection Connection { get; }

    protected RemateLiveOptions.RealtimeOptions Options { get; }

    protected TimeProvider Time { get; }

    /// <summary>Runs the session until the client leaves or is closed.</summary>
    public async Task RunAsync()
    {
        var ct = Context.RequestAborted;
        var writer = Connection.RunAsync(ct);
        var reason = "closed by client";
        _authDeadline = Time.CreateTimer(static s => ((SocketSession<TMessage>)s!).OnAuthDeadline(), this, Options.AuthTimeout, Timeout.InfiniteTimeSpan);
        _heartbeat.Add(this);
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
            LogFailed(ex);
        }
        finally
        {
            _heartbeat.Remove(this);
            _authDeadline.Dispose();
            _caps.Release(_userSlot);
        }

        await OnEndedAsync();
        if (Socket.State == WebSocketState.CloseReceived)
        {
            Connection.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
        }
        else if (!Connection.IsClosing)
        {
            Connection.Abort(AbortReason.Closed);
        }

        await writer;
        Connection.DisposeTimers();
        LogEnded(reason);
    }

    /// <summary>Parses one complete text message (the buffer goes back to the pool right after).</summary>
    protected abstract TMessage Parse(ReadOnlyMemory<byte> utf8);

    /// <summary>Handles one parsed message.</summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken ct);

    /// <summary>After the receive loop ended, before the close handshake (leave the room, stop the feed…).</summary>
    protected virtual ValueTask OnEndedAsync() => ValueTask.CompletedTask;

    /// <summary>The server is closing the connection (silent, message too big): the client counts as gone now.</summary>
    protected virtual void OnClosing()
    {
    }

    protected abstract void LogFailed(Exception ex);

    protected virtual void LogEnded(string reason)
    {
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var limit = Options.MaxMessageBytes;
        while (true)
        {
            // Idle sockets hold no buffer: a zero-byte read waits for data; the buffer is rented per message.
            var peek = await Socket.ReceiveAsync(Memory<byte>.Empty, ct);
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
                        Close(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {limit} bytes.");
                        count = 0;
                    }

                    result = await Socket.ReceiveAsync(buffer.AsMemory(count, limit - count), ct);
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
        TMessage message;
        try
        {
            Touch();
            if (Connection.IsClosing || Connection.IsAborted)
            {
                return; // draining until the close handshake completes
            }

            if (type != WebSocketMessageType.Text)
            {
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "Only text (JSON) messages are accepted."));
                return;
            }

            message = Parse(utf8);
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

    /// <summary>Authenticated from here on: the auth deadline no longer applies.</summary>
    protected void MarkAuthenticated()
    {
        _authenticated = true;
        _authDeadline?.Dispose();
    }

    /// <summary>A failed auth is answered; after <c>MaxFailedAuthAttempts</c> the socket is closed (guessing costs a new connection).</summary>
    protected void AuthFailed(DomainError error)
    {
        Send(ServerMessages.AuthError(error));
        if (++_failedAuths >= Options.MaxFailedAuthAttempts)
        {
            Connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many failed auth attempts.");
        }
    }

    /// <summary>Takes one of the user's <c>MaxConnectionsPerUser</c> slots (released when the session ends); false (answered and closed) when none is left.</summary>
    protected bool TryOpenUserSlot(UserId user)
    {
        _userSlot = _caps.TryOpenForUser(user);
        if (_userSlot is not null)
        {
            return true;
        }

        Send(ServerMessages.AuthError(new DomainError(ErrorCodes.RateLimited, $"Too many open connections for this user (at most {Options.MaxConnectionsPerUser}).")));
        Connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many connections for this user.");
        return false;
    }

    /// <summary>The host's own authentication (cookie/JWT) or our bearer token on the upgrade request.</summary>
    protected async Task<RemateUser?> FromUpgradeRequestAsync()
    {
        if (Context.User.Identity?.IsAuthenticated == true && _identity.FromPrincipal(Context.User) is { } hostUser)
        {
            return hostUser;
        }

        var bearer = await Context.AuthenticateAsync(RemateAuthentication.Scheme);
        return bearer.Succeeded ? _identity.FromPrincipal(bearer.Principal) : null;
    }

    /// <summary>Takes a token from the connection's replay bucket (join behind, <c>resume</c>).</summary>
    protected bool TryStartReplay() => Connection.TryStartReplay(Options.ReplayBurst, Options.ReplaysPerSecond, Time);

    /// <summary>Answers a client heartbeat with <c>pong</c>, at most every 250 ms, so pings cannot multiply our sends.</summary>
    protected void AnswerPing(string? nonce)
    {
        var now = Time.GetUtcNow();
        if (now.UtcTicks - _lastPongTicks < MinClientPingInterval.Ticks)
        {
            return; // Touch() already recorded the activity
        }

        _lastPongTicks = now.UtcTicks;
        Send(ServerMessages.Pong(nonce, now));
    }

    /// <summary>Requests the close handshake with <paramref name="status"/> and tells the subclass (<see cref="OnClosing"/>).</summary>
    protected void Close(WebSocketCloseStatus status, string description)
    {
        Connection.RequestClose(status, description);
        OnClosing();
    }

    protected void Send(ServerMessage message) => Connection.Enqueue(message);

    /// <inheritdoc/>
    public bool TryPing(DateTimeOffset now, ServerMessage ping)
    {
        if (now.UtcTicks - Interlocked.Read(ref _lastActivityTicks) >= 2 * Options.PingInterval.Ticks)
        {
            return false;
        }

        Send(ping);
        return true;
    }

    /// <inheritdoc/>
    public void CloseSilent() => Close(WebSocketCloseStatus.EndpointUnavailable, "No pong within two ping intervals.");

    private void OnAuthDeadline()
    {
        if (!_authenticated)
        {
            Connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "auth was not received in time.");
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, Time.GetUtcNow().UtcTicks);
}

using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Realtime;
using RemateLive.AspNetCore.Rest;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// <c>/ws/sales/{sale_id}</c>: one live sale over a native WebSocket. The client sends <c>auth</c>
/// (<c>token</c>, optional <c>last_seq</c>) within <c>AuthTimeout</c>, then gets <c>auth_ok</c> and every sale
/// event in seq order; <c>bid</c> (<c>lot_id</c>, <c>amount_cents</c> = the asking price) is answered
/// <c>bid_ok</c> or <c>bid_error</c>; <c>resume</c> replays after <c>last_seq</c>; <c>pong</c> answers
/// <c>ping</c>. Bad input gets <c>error</c> with a <c>code</c> and the connection stays open.
/// </summary>
internal sealed partial class SaleSocketEndpoint(
    LiveSales sales,
    SaleFeed feed,
    RemateIdentity identity,
    RemateRateLimits rateLimits,
    ConnectionCaps caps,
    IOptions<RemateLiveOptions> options,
    TimeProvider time,
    ILogger<SaleSocketEndpoint> logger)
{
    public const string SaleIdRouteValue = "sale_id";

    private LiveSales Sales => sales;

    private SaleFeed Feed => feed;

    private RemateIdentity Identity => identity;

    private RemateRateLimits RateLimits => rateLimits;

    private ConnectionCaps Caps => caps;

    private IOptions<RemateLiveOptions> Options => options;

    private TimeProvider Time => time;

    private ILogger Logger => logger;

    public async Task HandleAsync(HttpContext context)
    {
        if (!SaleId.TryParse(context.GetRouteValue(SaleIdRouteValue) as string, out var saleId)
            || await sales.GetAsync(saleId, context.RequestAborted) is null)
        {
            await Problems.Error(ErrorCodes.NotFound, "No such sale.", 404).ExecuteAsync(context);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Error(ErrorCodes.InvalidMessage, "This endpoint only accepts WebSocket upgrade requests.", 400).ExecuteAsync(context);
            return;
        }

        if (!OriginPolicy.IsAllowed(context, options.Value.Realtime.AllowedOrigins))
        {
            await Problems.Error(ErrorCodes.Forbidden, "This origin may not open connections.", 403).ExecuteAsync(context);
            return;
        }

        var address = ClientAddress.Of(context);
        var budget = await rateLimits.ForConnectionAsync(address, context.RequestAborted);
        var slot = budget.Allowed ? caps.TryOpenForAddress(address) : null;
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "5";
            await Problems.Error(ErrorCodes.RateLimited, "Too many connections from this address.", 429).ExecuteAsync(context);
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var session = new Session(this, context, socket, saleId);
            await session.RunAsync();
        }
        finally
        {
            caps.Release(slot);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sale socket {ConnectionId} on sale {SaleId} failed.")]
    private static partial void LogFailed(ILogger logger, Exception ex, string connectionId, SaleId saleId);

    private sealed class Session(SaleSocketEndpoint endpoint, HttpContext context, WebSocket socket, SaleId saleId) : IDisposable
    {
        private readonly RemateLiveOptions.RealtimeOptions _options = endpoint.Options.Value.Realtime;
        private readonly WebSocketConnection _connection = new(socket, endpoint.Options.Value.Realtime.SendQueueCapacity, endpoint.Time);
        private SaleSubscriber? _subscriber;
        private RemateUser? _user;
        private string? _userSlot;
        private long _lastActivity;
        private int _failedAuths;

        public async Task RunAsync()
        {
            var ct = context.RequestAborted;
            var writer = _connection.RunAsync(ct);
            Touch();
            var started = endpoint.Time.GetUtcNow();
            using var heartbeat = endpoint.Time.CreateTimer(_ => Beat(started), null, _options.PingInterval, _options.PingInterval);
            using var authDeadline = endpoint.Time.CreateTimer(
                _ =>
                {
                    if (_user is null)
                    {
                        _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "auth was not received in time.");
                    }
                },
                null,
                _options.AuthTimeout,
                Timeout.InfiniteTimeSpan);
            try
            {
                await ReceiveLoopAsync(ct);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // the client went away
            }
            catch (Exception ex)
            {
                LogFailed(endpoint.Logger, ex, _connection.Id, saleId);
            }
            finally
            {
                Dispose();
                endpoint.Caps.Release(_userSlot);
            }

            if (socket.State == WebSocketState.CloseReceived)
            {
                _connection.RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
            }
            else if (!_connection.IsClosing)
            {
                _connection.Abort(AbortReason.Closed);
            }

            await writer;
            _connection.DisposeTimers();
        }

        private void Beat(DateTimeOffset started)
        {
            var now = endpoint.Time.GetUtcNow();
            if (now.UtcTicks - Interlocked.Read(ref _lastActivity) >= 2 * _options.PingInterval.Ticks)
            {
                _connection.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "No pong within two ping intervals.");
                return;
            }

            _connection.Enqueue(ServerMessages.Ping(now));
        }

        private async Task ReceiveLoopAsync(CancellationToken ct)
        {
            var limit = _options.MaxMessageBytes;
            var buffer = ArrayPool<byte>.Shared.Rent(limit);
            try
            {
                while (true)
                {
                    var count = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        if (count == limit)
                        {
                            _connection.RequestClose(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {limit} bytes.");
                            count = 0;
                        }

                        result = await socket.ReceiveAsync(buffer.AsMemory(count, limit - count), ct);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            return;
                        }

                        count += result.Count;
                    }
                    while (!result.EndOfMessage);

                    Touch();
                    if (_connection.IsClosing)
                    {
                        continue;
                    }

                    await HandleAsync(buffer.AsMemory(0, count), result.MessageType, ct);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private async Task HandleAsync(ReadOnlyMemory<byte> utf8, WebSocketMessageType type, CancellationToken ct)
        {
            SaleClientMessage message;
            try
            {
                message = type == WebSocketMessageType.Text
                    ? SaleClientMessage.Parse(utf8.Span)
                    : throw new JsonException("Only text (JSON) messages are accepted.");
            }
            catch (JsonException ex)
            {
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, ex.Message));
                return;
            }

            switch (message.Type)
            {
                case "auth" when _user is not null:
                    Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "Already authenticated."));
                    break;
                case "auth":
                    await AuthenticateAsync(message, ct);
                    break;
                case "pong":
                    break;
                case "bid" or "resume" when _user is null || _subscriber is null:
                    Send(ServerMessages.Error(ErrorCodes.NotAuthenticated, "Send auth first."));
                    break;
                case "resume":
                    if (!_connection.TryStartReplay(_options.ReplayBurst, _options.ReplaysPerSecond, endpoint.Time))
                    {
                        Send(ServerMessages.Error(ErrorCodes.RateLimited, "Too many replays on this connection; slow down."));
                        break;
                    }

                    await _subscriber.ReplayAsync(message.LastSeq ?? 0, ct);
                    break;
                case "bid":
                    await BidAsync(message, ct);
                    break;
                default:
                    Send(ServerMessages.Error(ErrorCodes.InvalidMessage, $"Unknown message type '{message.Type}'."));
                    break;
            }
        }

        private async Task AuthenticateAsync(SaleClientMessage message, CancellationToken ct)
        {
            var user = await FromUpgradeRequestAsync() ?? await endpoint.Identity.ValidateTokenAsync(message.Token, ct);
            if (user is null)
            {
                Send(ServerMessages.AuthError(new DomainError(ErrorCodes.NotAuthenticated, "The token is invalid, expired or revoked.")));
                if (++_failedAuths >= _options.MaxFailedAuthAttempts)
                {
                    _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many failed auth attempts.");
                }

                return;
            }

            _userSlot = endpoint.Caps.TryOpenForUser(user.Id);
            if (_userSlot is null)
            {
                Send(ServerMessages.AuthError(new DomainError(ErrorCodes.RateLimited, $"Too many open connections for this user (at most {_options.MaxConnectionsPerUser}).")));
                _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many connections for this user.");
                return;
            }

            var sale = await endpoint.Sales.GetAsync(saleId, ct);
            if (sale is null)
            {
                Send(ServerMessages.Error(ErrorCodes.NotFound, "No such sale."));
                return;
            }

            _user = user;
            Send(SaleMessages.AuthOk(user, sale, endpoint.Time.GetUtcNow()));
            _subscriber = new SaleSubscriber(_connection, saleId, endpoint.Sales, endpoint.Feed);
            await _subscriber.StartAsync(sale.Seq, message.LastSeq is { } last ? Math.Min(last, sale.Seq) : sale.Seq, ct);
        }

        private async Task BidAsync(SaleClientMessage message, CancellationToken ct)
        {
            if (message.LotId is not { } lot || message.AmountCents is not > 0)
            {
                Send(ServerMessages.Error(ErrorCodes.InvalidMessage, "bid needs lot_id and a positive amount_cents (the asking price)."));
                return;
            }

            var limit = await endpoint.RateLimits.ForBidAsync(_user!.Id, ct);
            if (!limit.Allowed)
            {
                Send(SaleMessages.BidError(new DomainError(ErrorCodes.RateLimited, "Too many bids; slow down."), null));
                return;
            }

            var result = await endpoint.Sales.PlaceBidAsync(saleId, SaleBidRequest.Online(lot, Money.FromCents(message.AmountCents.Value), _user.Id, _user.DisplayName));
            if (result.Error is { } error)
            {
                Send(SaleMessages.BidError(error, result.State));
                return;
            }

            var own = result.Events.OfType<SaleBidPlaced>().First();
            Send(SaleMessages.BidOk(lot, own.Paddle, own.Seq));
        }

        private async Task<RemateUser?> FromUpgradeRequestAsync()
        {
            if (context.User.Identity?.IsAuthenticated == true && endpoint.Identity.FromPrincipal(context.User) is { } hostUser)
            {
                return hostUser;
            }

            var bearer = await context.AuthenticateAsync(RemateAuthentication.Scheme);
            return bearer.Succeeded ? endpoint.Identity.FromPrincipal(bearer.Principal) : null;
        }

        public void Dispose() => _subscriber?.Dispose();

        private void Touch() => Interlocked.Exchange(ref _lastActivity, endpoint.Time.GetUtcNow().UtcTicks);

        private void Send(ServerMessage message) => _connection.Enqueue(message);
    }
}

/// <summary>A client message on a sale socket or hub: <c>{"type": …, …fields}</c>, fields at the top level or under <c>payload</c>.</summary>
internal sealed record SaleClientMessage(string Type, string? Token, long? LastSeq, LotId? LotId, long? AmountCents)
{
    public static SaleClientMessage Parse(ReadOnlySpan<byte> utf8)
    {
        using var doc = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        var root = doc.RootElement;
        if (ClientMessages.HasInvalidText(root))
        {
            throw new JsonException(ClientMessages.InvalidTextError);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("A message is a JSON object with a string 'type'.");
        }

        var body = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : root;
        return new SaleClientMessage(
            t.GetString()!,
            String(body, "token"),
            Number(body, "last_seq"),
            String(body, "lot_id") is { } lot ? (global::RemateLive.Sales.LotId.TryParse(lot, out var id) ? id : throw new JsonException("lot_id is not a lot id.")) : null,
            Number(body, "amount_cents"));
    }

    private static string? String(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new JsonException($"{name} must be a string.");

    private static long? Number(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new JsonException($"{name} must be a whole number.");
}

using System.Text.Json;
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
/// <c>/ws/sales/{sale_id}</c>: checks the sale and the caller's connection budget before the upgrade
/// (404 / 400 / 403 / 429 as problem details), then runs a <see cref="SaleSocketSession"/>.
/// </summary>
internal sealed partial class SaleSocketEndpoint(
    LiveSales sales,
    SaleFeed feed,
    RemateIdentity identity,
    RemateRateLimits rateLimits,
    ConnectionCaps caps,
    WebSocketHeartbeat heartbeat,
    IOptions<RemateLiveOptions> options,
    TimeProvider time,
    ILogger<SaleSocketEndpoint> logger)
{
    public const string SaleIdRouteValue = "sale_id";

    internal LiveSales Sales => sales;

    internal SaleFeed Feed => feed;

    internal RemateIdentity Identity => identity;

    internal RemateRateLimits RateLimits => rateLimits;

    internal ConnectionCaps Caps => caps;

    internal WebSocketHeartbeat Heartbeat => heartbeat;

    internal RemateLiveOptions.RealtimeOptions Options => options.Value.Realtime;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

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
            await new SaleSocketSession(this, context, socket, saleId).RunAsync();
        }
        finally
        {
            caps.Release(slot);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sale socket {ConnectionId} on sale {SaleId} failed.")]
    internal static partial void LogFailed(ILogger logger, Exception ex, string connectionId, SaleId saleId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sale socket {ConnectionId} on sale {SaleId} ended: {Reason}.")]
    internal static partial void LogEnded(ILogger logger, string connectionId, SaleId saleId, string reason);
}

/// <summary>A client message on a sale socket or hub: <c>{"type": …, …fields}</c>, fields at the top level or under <c>payload</c>.</summary>
internal sealed record SaleClientMessage(string Type, string? Token, long? LastSeq, LotId? LotId, long? AmountCents)
{
    /// <summary>A client <c>ping</c>'s nonce (at most <see cref="ClientMessages.MaxNonceLength"/> characters), echoed in the <c>pong</c>.</summary>
    public string? Nonce { get; init; }

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
        var nonce = String(body, "nonce");
        if (nonce is { Length: > ClientMessages.MaxNonceLength })
        {
            throw new JsonException($"nonce must have at most {ClientMessages.MaxNonceLength} characters.");
        }

        return new SaleClientMessage(
            t.GetString()!,
            String(body, "token"),
            Number(body, "last_seq"),
            String(body, "lot_id") is { } lot ? (global::RemateLive.Sales.LotId.TryParse(lot, out var id) ? id : throw new JsonException("lot_id is not a lot id.")) : null,
            Number(body, "amount_cents"))
        {
            Nonce = nonce,
        };
    }

    private static string? String(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw new JsonException($"{name} must be a string.");

    private static long? Number(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new JsonException($"{name} must be a whole number.");
}

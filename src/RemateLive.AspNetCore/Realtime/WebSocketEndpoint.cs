using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Rest;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// <c>/ws/auctions/{auction_id}</c>: checks the auction and the caller's connection budget before the
/// upgrade (404 / 429 / 400 as problem details), then runs a <see cref="WebSocketSession"/>.
/// </summary>
internal sealed partial class WebSocketEndpoint(
    AuctionQueries queries,
    RemateRateLimits rateLimits,
    RoomRegistry rooms,
    RealtimeBids bids,
    RemateIdentity identity,
    RemateMetrics metrics,
    WebSocketHeartbeat heartbeat,
    ConnectionCaps caps,
    IOptions<RemateLiveOptions> options,
    TimeProvider time,
    ILogger<WebSocketEndpoint> logger)
{
    /// <summary>The route parameter holding the auction id.</summary>
    public const string AuctionIdRouteValue = "auction_id";

    internal AuctionQueries Queries => queries;

    internal RoomRegistry Rooms => rooms;

    internal RealtimeBids Bids => bids;

    internal RemateIdentity Identity => identity;

    internal WebSocketHeartbeat Heartbeat => heartbeat;

    internal ConnectionCaps Caps => caps;

    internal RemateLiveOptions.RealtimeOptions Options => options.Value.Realtime;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        if (!AuctionId.TryParse(context.GetRouteValue(AuctionIdRouteValue) as string, out var auctionId)
            || await queries.GetAuctionAsync(auctionId, ct) is null)
        {
            await ProblemAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such auction.");
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidMessage, "This endpoint only accepts WebSocket upgrade requests.");
            return;
        }

        if (!OriginPolicy.IsAllowed(context, options.Value.Realtime.AllowedOrigins))
        {
            await ProblemAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "This origin may not open connections (RemateLive:Realtime:AllowedOrigins).");
            return;
        }

        var budget = await rateLimits.ForConnectionAsync(ClientAddress.Of(context), ct);
        if (!budget.Allowed)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(budget.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ProblemAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many connections from this address.");
            return;
        }

        var slot = caps.TryOpenForAddress(ClientAddress.Of(context));
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "5";
            await ProblemAsync(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many open connections from this address.");
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            metrics.ConnectionOpened(WebSocketConnection.TransportName);
            try
            {
                await new WebSocketSession(this, context, socket, auctionId).RunAsync();
            }
            finally
            {
                metrics.ConnectionClosed(WebSocketConnection.TransportName);
            }
        }
        finally
        {
            caps.Release(slot);
        }
    }

    private static Task ProblemAsync(HttpContext context, int status, string code, string detail) =>
        Problems.Error(code, detail, status)
            .ExecuteAsync(context);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket {ConnectionId} on auction {AuctionId} ended: {Reason}.")]
    internal static partial void LogSessionEnded(ILogger logger, string connectionId, AuctionId auctionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket {ConnectionId} on auction {AuctionId} failed.")]
    internal static partial void LogSessionFailed(ILogger logger, Exception ex, string connectionId, AuctionId auctionId);
}

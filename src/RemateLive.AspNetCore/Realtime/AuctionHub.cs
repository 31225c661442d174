using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// <c>/hubs/auctions</c>: the native socket's semantics over SignalR. Methods return the same envelopes
/// (<c>{type, payload}</c>) the socket sends; pushed messages arrive on client handlers named like the
/// socket types (<c>bid_placed</c>, <c>outbid</c>, …) with the same payloads, fed by the same feed.
/// Identity comes from the connection's authenticated user (bearer token / <c>access_token</c>).
/// </summary>
internal sealed class AuctionHub(
    RoomRegistry rooms,
    RealtimeBids bids,
    AuctionQueries queries,
    RemateIdentity identity,
    RemateMetrics metrics,
    RemateRateLimits rateLimits,
    ConnectionCaps caps,
    IHubContext<AuctionHub> hubContext,
    IOptions<RemateLiveOptions> options,
    TimeProvider time) : Hub
{
    private static readonly object ConnectionKey = new();
    private static readonly object SlotsKey = new();

    /// <summary>
    /// Charges the connection to the same per-IP connection bucket as <c>/ws</c> and to the per-IP and
    /// per-user caps; over any of them the connection is refused (the client sees the error on start).
    /// </summary>
    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext();
        if (http is not null && !OriginPolicy.IsAllowed(http, options.Value.Realtime.AllowedOrigins))
        {
            throw new HubException($"{ErrorCodes.Forbidden}: this origin may not open connections (RemateLive:Realtime:AllowedOrigins).");
        }

        var address = http is not null ? ClientAddress.Of(http) : null;
        var budget = await rateLimits.ForConnectionAsync(address, Context.ConnectionAborted);
        if (!budget.Allowed)
        {
            throw new HubException($"{ErrorCodes.RateLimited}: too many connections from this address; retry after {Math.Ceiling(budget.RetryAfter.TotalSeconds)} s.");
        }

        var byAddress = caps.TryOpenForAddress(address);
        if (byAddress is null)
        {
            throw new HubException($"{ErrorCodes.RateLimited}: too many open connections from this address.");
        }

        var byUser = CurrentUser() is { } user ? caps.TryOpenForUser(user.Id) : null;
        if (byUser is null && CurrentUser() is not null)
        {
            caps.Release(byAddress);
            throw new HubException($"{ErrorCodes.RateLimited}: too many open connections for this user (at most {options.Value.Realtime.MaxConnectionsPerUser}).");
        }

        Context.Items[SlotsKey] = new[] { byAddress, byUser };
        var connection = new SignalRConnection(Context, hubContext, options.Value.Realtime.SendQueueCapacity);
        Context.Items[ConnectionKey] = connection;
        connection.Start();
        metrics.ConnectionOpened(SignalRConnection.TransportName);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(SlotsKey, out var slots) && slots is string?[] taken)
        {
            foreach (var slot in taken)
            {
                caps.Release(slot);
            }
        }

        if (Context.Items.TryGetValue(ConnectionKey, out var item) && item is SignalRConnection connection)
        {
            RoomMembership[] memberships;
            lock (connection.Rooms)
            {
                memberships = [.. connection.Rooms.Values];
                connection.Rooms.Clear();
            }

            foreach (var membership in memberships)
            {
                await rooms.LeaveAsync(membership);
            }

            connection.Abort(AbortReason.Closed);
            await connection.Completion;
            metrics.ConnectionClosed(SignalRConnection.TransportName);
        }
    }

    /// <summary>Joins an auction room: returns <c>auth_ok</c> (the snapshot), then events after <paramref name="lastSeq"/> (or the snapshot's version) arrive.</summary>
    public async Task<WireJsonValue> JoinAuction(string auctionId, long? lastSeq) =>
        WireJsonValue.Envelope(await JoinAuctionCoreAsync(auctionId, lastSeq));

    private async Task<ServerMessage> JoinAuctionCoreAsync(string auctionId, long? lastSeq)
    {
        if (CurrentUser() is not { } user)
        {
            return ServerMessages.AuthError(new DomainError(ErrorCodes.NotAuthenticated, "Connect with an access token."));
        }

        var ct = Context.ConnectionAborted;
        if (!AuctionId.TryParse(auctionId, out var id) || await queries.GetAuctionForAsync(id, user.Id, ct) is not { } found)
        {
            return ServerMessages.Error(ErrorCodes.NotFound, "No such auction.");
        }

        var (view, yourMax) = found;

        if (lastSeq is < 0)
        {
            return ServerMessages.Error(ErrorCodes.InvalidMessage, "last_seq must be a non-negative integer.");
        }

        var connection = Connection();
        RoomMembership? existing;
        lock (connection.Rooms)
        {
            connection.Rooms.TryGetValue(id, out existing);
        }

        var recentCount = options.Value.Realtime.RecentBids;
        var recent = recentCount == 0 ? [] : await queries.GetBidsAsync(id, null, recentCount, ct) ?? [];
        var realtime = options.Value.Realtime;
        var behind = existing is not null ? lastSeq < existing.LastSeq : lastSeq < view.Version;
        if (behind && !connection.TryStartReplay(realtime.ReplayBurst, realtime.ReplaysPerSecond, time))
        {
            return ServerMessages.Error(ErrorCodes.RateLimited, "Too many replays on this connection; slow down.");
        }

        if (existing is not null)
        {
            // Already in the room: a join with last_seq acts as resume.
            existing.Resume(lastSeq ?? existing.LastSeq, ct);
            return ServerMessages.AuthOk(user, null, view, recent, rooms.ConnectionCount(id), time.GetUtcNow(), yourMax);
        }

        long online = 0;
        var membership = await rooms.JoinAsync(connection, id, user, lastSeq ?? view.Version, count => online = count, ct);
        lock (connection.Rooms)
        {
            connection.Rooms[id] = membership;
        }

        return ServerMessages.AuthOk(user, null, view, recent, online, time.GetUtcNow(), yourMax);
    }

    /// <summary>Leaves an auction room (no-op when not in it).</summary>
    public async Task LeaveAuction(string auctionId)
    {
        if (!AuctionId.TryParse(auctionId, out var id))
        {
            return;
        }

        var connection = Connection();
        RoomMembership? membership;
        lock (connection.Rooms)
        {
            connection.Rooms.Remove(id, out membership);
        }

        if (membership is not null)
        {
            await rooms.LeaveAsync(membership);
        }
    }

    /// <summary>Places a bid: <c>{amount_cents, version?, idempotency_key?, max_amount_cents?}</c> → <c>bid_placed</c> or <c>bid_error</c>.</summary>
    public async Task<WireJsonValue> PlaceBid(string auctionId, JsonElement bid) =>
        WireJsonValue.Envelope(await PlaceBidCoreAsync(auctionId, ClientMessages.ParseBid(bid)));

    /// <summary>The leader raises their maximum: <c>{max_amount_cents, idempotency_key?}</c> → <c>max_raised</c> (or <c>bid_placed</c> at an unmet reserve) or <c>bid_error</c>.</summary>
    public async Task<WireJsonValue> RaiseMax(string auctionId, JsonElement raise) =>
        WireJsonValue.Envelope(await PlaceBidCoreAsync(auctionId, ClientMessages.ParseRaiseMax(raise)));

    private async Task<ServerMessage> PlaceBidCoreAsync(string auctionId, ClientMessage parsed)
    {
        if (parsed is RejectedMessage rejected)
        {
            return rejected.Code == ErrorCodes.InvalidAmount
                ? ServerMessages.BidError(new DomainError(rejected.Code, rejected.Error), rejected.IdempotencyKey, null)
                : ServerMessages.Error(rejected.Code, rejected.Error);
        }

        var message = (BidMessage)parsed;
        if (CurrentUser() is not { } user)
        {
            return ServerMessages.BidError(new DomainError(ErrorCodes.NotAuthenticated, "Connect with an access token."), message.IdempotencyKey, null);
        }

        if (!AuctionId.TryParse(auctionId, out var id))
        {
            return ServerMessages.BidError(new DomainError(ErrorCodes.NotFound, "No such auction."), message.IdempotencyKey, null);
        }

        var result = await bids.PlaceAsync(id, user, message, Context.ConnectionAborted);
        return result.Reply;
    }

    private RemateUser? CurrentUser() => identity.FromPrincipal(Context.User);

    private SignalRConnection Connection() => (SignalRConnection)Context.Items[ConnectionKey]!;
}

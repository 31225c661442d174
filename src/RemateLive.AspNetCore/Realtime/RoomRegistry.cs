using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// This node's auction rooms for both transports. Each room holds one feed subscription and fans every
/// event out to its connections (a user may have several tabs); a connection that starts behind the
/// room catches up from the store first. Leaving announces <c>user_left</c> when it was the user's last
/// connection (on any node).
/// </summary>
internal sealed partial class RoomRegistry(
    AuctionFeed feed,
    IAuctionStore store,
    IUserStore users,
    IPresenceTracker presence,
    IAuctionEventBus bus,
    RemateMetrics metrics,
    IOptions<RemateLiveOptions> options,
    TimeProvider time,
    ILogger<RoomRegistry> logger)
{
    // Joins and leaves only add/remove a member here; rooms are created and dropped under the same lock,
    // so a join never lands in a room that is being closed.
    private readonly Lock _gate = new();
    private readonly Dictionary<AuctionId, AuctionRoom> _rooms = [];

    internal AuctionFeed Feed => feed;

    internal IAuctionStore Store => store;

    internal RemateMetrics Metrics => metrics;

    internal RemateLiveOptions.RealtimeOptions Options => options.Value.Realtime;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    /// <summary>
    /// Joins <paramref name="connection"/> to the room. <paramref name="onJoined"/> runs with the online
    /// count before anything else is queued to the connection (the transport's snapshot goes first); then
    /// every event after <paramref name="afterSeq"/> follows, in seq order, none twice (the catch-up streams
    /// in the background as the client drains).
    /// </summary>
    public async Task<RoomMembership> JoinAsync(
        RealtimeConnection connection,
        AuctionId auctionId,
        RemateUser user,
        long afterSeq,
        Action<long> onJoined,
        CancellationToken cancellationToken)
    {
        var change = await presence.JoinAsync(auctionId, user.Username, connection.Id, cancellationToken);
        onJoined(change.OnlineCount);

        var membership = new RoomMembership(connection, user, afterSeq);
        AuctionRoom room;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(auctionId, out room!))
            {
                room = new AuctionRoom(this, auctionId);
                _rooms[auctionId] = room;
            }

            membership.Room = room;
            room.Add(membership);
        }

        try
        {
            await room.SubscribedAsync(cancellationToken);
            membership.StartCatchUp(afterSeq, cancellationToken);
        }
        catch
        {
            await LeaveAsync(membership);
            throw;
        }

        if (change.UserChanged)
        {
            await AnnounceAsync(new PresenceNotice(auctionId, user.Username, user.DisplayName, true, change.OnlineCount, feed.NodeId));
        }

        return membership;
    }

    /// <summary>Leaves the room (idempotent); never throws.</summary>
    public async Task LeaveAsync(RoomMembership membership)
    {
        if (!membership.TryEnd())
        {
            return;
        }

        try
        {
            var room = membership.Room;
            var emptied = false;
            lock (_gate)
            {
                if (room.Remove(membership) == 0)
                {
                    _rooms.Remove(room.AuctionId);
                    emptied = true;
                }
            }

            if (emptied)
            {
                await room.CloseAsync();
            }

            var change = await presence.LeaveAsync(room.AuctionId, membership.User.Username, membership.Connection.Id, CancellationToken.None);
            if (change.UserChanged)
            {
                await AnnounceAsync(new PresenceNotice(room.AuctionId, membership.User.Username, membership.User.DisplayName, false, change.OnlineCount, feed.NodeId));
            }
        }
        catch (Exception ex)
        {
            LogLeaveFailed(logger, ex, membership.Room.AuctionId);
        }
    }

    /// <summary>This node's open connections in an auction's room.</summary>
    public int ConnectionCount(AuctionId auctionId)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(auctionId, out var room) ? room.Count : 0;
        }
    }

    /// <summary>Announces that a user whose connections expired (their node died) left, on every node.</summary>
    public async Task AnnounceExpiredAsync(PresenceExpired expired)
    {
        var account = await users.FindByNameAsync(expired.Username, CancellationToken.None);
        await AnnounceAsync(new PresenceNotice(expired.AuctionId, account?.Username ?? expired.Username, account?.DisplayName ?? expired.Username, false, expired.OnlineCount, feed.NodeId));
    }

    private async Task AnnounceAsync(PresenceNotice notice)
    {
        await feed.DeliverPresenceAsync(notice);
        try
        {
            await bus.PublishPresenceAsync(notice);
        }
        catch (Exception ex)
        {
            // Presence is not durable: other nodes correct their count on the next change.
            LogPresencePublishFailed(logger, ex, notice.AuctionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leaving the room of auction {AuctionId} failed.")]
    private static partial void LogLeaveFailed(ILogger logger, Exception ex, AuctionId auctionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing presence of auction {AuctionId} failed.")]
    private static partial void LogPresencePublishFailed(ILogger logger, Exception ex, AuctionId auctionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catching a connection up on auction {AuctionId} failed; the connection is dropped so the client resumes.")]
    internal static partial void LogCatchUpFailed(ILogger logger, Exception ex, AuctionId auctionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auction {AuctionId}: the store has no events after seq {LastSeq} although later ones were delivered; continuing with those.")]
    internal static partial void LogCatchUpGap(ILogger logger, AuctionId auctionId, long lastSeq);
}

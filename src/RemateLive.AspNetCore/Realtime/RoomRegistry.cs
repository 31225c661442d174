using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// This node's auction rooms (auction → user → connections; a user may have several tabs) for both
/// transports. Joining subscribes the connection to the feed and registers presence; leaving undoes both
/// and announces <c>user_left</c> when it was the user's last connection (on any node).
/// </summary>
internal sealed partial class RoomRegistry(
    AuctionFeed feed,
    IPresenceTracker presence,
    IAuctionEventBus bus,
    TimeProvider time,
    ILogger<RoomRegistry> logger)
{
    private readonly ConcurrentDictionary<AuctionId, ConcurrentDictionary<UserId, ConcurrentDictionary<string, RoomMembership>>> _rooms = new();

    /// <summary>The feed the rooms are subscribed to.</summary>
    public AuctionFeed Feed => feed;

    /// <summary>
    /// Joins <paramref name="connection"/> to the room. <paramref name="onJoined"/> runs with the online
    /// count before any event is queued (the transport's snapshot goes first); then every event after
    /// <paramref name="afterSeq"/> follows.
    /// </summary>
    public async Task<RoomMembership> JoinAsync(
        RealtimeConnection connection,
        AuctionId auctionId,
        RemateUser user,
        long afterSeq,
        Action<long> onJoined,
        CancellationToken cancellationToken)
    {
        var membership = new RoomMembership(connection, auctionId, user, time);
        var change = await presence.JoinAsync(auctionId, user.Username, connection.Id, cancellationToken);
        onJoined(change.OnlineCount);
        Connections(auctionId, user.Id)[connection.Id] = membership;
        try
        {
            await membership.SubscribeAsync(feed, afterSeq, cancellationToken);
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
            if (_rooms.TryGetValue(membership.AuctionId, out var users) && users.TryGetValue(membership.User.Id, out var connections))
            {
                connections.TryRemove(membership.Connection.Id, out _);
                if (connections.IsEmpty)
                {
                    users.TryRemove(new KeyValuePair<UserId, ConcurrentDictionary<string, RoomMembership>>(membership.User.Id, connections));
                }
            }

            await membership.UnsubscribeAsync();
            var change = await presence.LeaveAsync(membership.AuctionId, membership.User.Username, membership.Connection.Id, CancellationToken.None);
            if (change.UserChanged)
            {
                await AnnounceAsync(new PresenceNotice(membership.AuctionId, membership.User.Username, membership.User.DisplayName, false, change.OnlineCount, feed.NodeId));
            }
        }
        catch (Exception ex)
        {
            LogLeaveFailed(logger, ex, membership.AuctionId);
        }
    }

    /// <summary>This node's open connections in an auction's room.</summary>
    public int ConnectionCount(AuctionId auctionId) =>
        _rooms.TryGetValue(auctionId, out var users) ? users.Values.Sum(c => c.Count) : 0;

    /// <summary>The connections a user has open in an auction's room on this node.</summary>
    public IReadOnlyCollection<RoomMembership> ConnectionsOf(AuctionId auctionId, UserId userId) =>
        _rooms.TryGetValue(auctionId, out var users) && users.TryGetValue(userId, out var c) ? [.. c.Values] : [];

    private ConcurrentDictionary<string, RoomMembership> Connections(AuctionId auctionId, UserId userId) =>
        _rooms.GetOrAdd(auctionId, static _ => new()).GetOrAdd(userId, static _ => new());

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
}

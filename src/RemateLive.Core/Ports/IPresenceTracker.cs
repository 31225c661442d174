using RemateLive.Domain;

namespace RemateLive.Ports;

/// <summary>
/// Who is watching each auction. Counts users (a user with several tabs counts once), across all nodes
/// when the tracker is shared; entries of a dead node must expire within a bounded time.
/// </summary>
public interface IPresenceTracker
{
    /// <summary>Registers a connection; <see cref="PresenceChange.UserChanged"/> is true for the user's first connection.</summary>
    ValueTask<PresenceChange> JoinAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Removes a connection; <see cref="PresenceChange.UserChanged"/> is true when it was the user's last.</summary>
    ValueTask<PresenceChange> LeaveAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Users online in the auction.</summary>
    ValueTask<long> CountAsync(AuctionId auctionId, CancellationToken cancellationToken = default);
}

/// <summary>The effect of a join or leave.</summary>
public readonly record struct PresenceChange(bool UserChanged, long OnlineCount);

/// <summary>
/// Optional for an <see cref="IPresenceTracker"/> whose entries expire (the connections of a node that
/// died): reports each user whose last connection expired — once across every node sharing the tracker —
/// so a surviving node can announce that they left.
/// </summary>
public interface IPresenceExpiry
{
    /// <summary>Calls <paramref name="handler"/> for every user whose presence expired; dispose the result to stop.</summary>
    IDisposable OnUserExpired(Func<PresenceExpired, Task> handler);
}

/// <summary>A user whose last connection in an auction expired; <paramref name="OnlineCount"/> is the count without them.</summary>
public readonly record struct PresenceExpired(AuctionId AuctionId, string Username, long OnlineCount);

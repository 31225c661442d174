using System.Collections.Concurrent;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>Presence on this node only: auction → user → connections.</summary>
public sealed class InMemoryPresenceTracker : IPresenceTracker
{
    private readonly ConcurrentDictionary<AuctionId, Dictionary<string, HashSet<string>>> _rooms = new();

    /// <inheritdoc/>
    public ValueTask<PresenceChange> JoinAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default)
    {
        var room = _rooms.GetOrAdd(auctionId, _ => new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase));
        lock (room)
        {
            if (!room.TryGetValue(username, out var connections))
            {
                room[username] = connections = [];
            }

            var first = connections.Count == 0;
            connections.Add(connectionId);
            return ValueTask.FromResult(new PresenceChange(first, room.Count));
        }
    }

    /// <inheritdoc/>
    public ValueTask<PresenceChange> LeaveAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default)
    {
        if (!_rooms.TryGetValue(auctionId, out var room))
        {
            return ValueTask.FromResult(new PresenceChange(false, 0));
        }

        lock (room)
        {
            var last = false;
            if (room.TryGetValue(username, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
            {
                room.Remove(username);
                last = true;
            }

            return ValueTask.FromResult(new PresenceChange(last, room.Count));
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> CountAsync(AuctionId auctionId, CancellationToken cancellationToken = default)
    {
        if (!_rooms.TryGetValue(auctionId, out var room))
        {
            return ValueTask.FromResult(0L);
        }

        lock (room)
        {
            return ValueTask.FromResult((long)room.Count);
        }
    }
}

using System.Collections.Concurrent;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>The embedded cache: the newest snapshot per auction.</summary>
public sealed class InMemoryAuctionCache : IAuctionCache
{
    private readonly ConcurrentDictionary<AuctionId, AuctionSnapshot> _snapshots = new();

    /// <inheritdoc/>
    public ValueTask<AuctionSnapshot?> GetAsync(AuctionId id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_snapshots.TryGetValue(id, out var s) ? s : null);

    /// <inheritdoc/>
    public ValueTask SetAsync(AuctionSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshots.AddOrUpdate(snapshot.Id, static (_, s) => s, static (_, old, s) => old.Version >= s.Version ? old : s, snapshot);
        return ValueTask.CompletedTask;
    }
}

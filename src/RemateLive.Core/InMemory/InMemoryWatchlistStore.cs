using System.Collections.Concurrent;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>Watchlists in process memory, one lock per user.</summary>
internal sealed class InMemoryWatchlistStore : IWatchlistStore
{
    private readonly ConcurrentDictionary<UserId, Dictionary<AuctionId, DateTimeOffset>> _lists = new();

    /// <inheritdoc/>
    public Task<WatchResult> WatchAsync(UserId user, AuctionId auction, int maxPerUser, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var list = _lists.GetOrAdd(user, _ => []);
        lock (list)
        {
            if (list.ContainsKey(auction))
            {
                return Task.FromResult(WatchResult.AlreadyWatched);
            }

            if (list.Count >= maxPerUser)
            {
                return Task.FromResult(WatchResult.Full);
            }

            list[auction] = at;
            return Task.FromResult(WatchResult.Added);
        }
    }

    /// <inheritdoc/>
    public Task<bool> UnwatchAsync(UserId user, AuctionId auction, CancellationToken cancellationToken = default)
    {
        if (!_lists.TryGetValue(user, out var list))
        {
            return Task.FromResult(false);
        }

        lock (list)
        {
            return Task.FromResult(list.Remove(auction));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuctionId>> ListAsync(UserId user, CancellationToken cancellationToken = default)
    {
        if (!_lists.TryGetValue(user, out var list))
        {
            return Task.FromResult<IReadOnlyList<AuctionId>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<AuctionId>>([.. list.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Value).Select(p => p.Key)]);
        }
    }
}

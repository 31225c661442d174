using System.Collections.Concurrent;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>User accounts in process memory (forgotten on restart); unclaimed ones are pruned by the host.</summary>
internal sealed class InMemoryUserStore : IUserStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserAccount> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<UserId, UserAccount> _byId = new();

    /// <inheritdoc/>
    public Task<UserAccount?> FindByNameAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        lock (_gate)
        {
            return Task.FromResult(_byName.TryGetValue(username, out var u) ? u : null);
        }
    }

    /// <inheritdoc/>
    public Task<UserAccount?> FindByIdAsync(UserId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_byId.TryGetValue(id, out var u) ? u : null);

    /// <inheritdoc/>
    public Task<bool> TryAddAsync(UserAccount user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            if (_byId.ContainsKey(user.Id) || !_byName.TryAdd(user.Username, user))
            {
                return Task.FromResult(false);
            }

            _byId[user.Id] = user;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<bool> TryUpdateAsync(UserAccount user, string expectedStamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            if (!_byId.TryGetValue(user.Id, out var stored) || !string.Equals(stored.SecurityStamp, expectedStamp, StringComparison.Ordinal))
            {
                return Task.FromResult(false);
            }

            var updated = user with { Username = stored.Username, CreatedAt = stored.CreatedAt };
            _byId[user.Id] = updated;
            _byName[stored.Username] = updated;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<int> DeleteUnclaimedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var expired = _byId.Values.Where(u => u.PasswordHash is null && u.CreatedAt < createdBefore).ToList();
            foreach (var user in expired)
            {
                _byId.TryRemove(user.Id, out _);
                _byName.Remove(user.Username);
            }

            return Task.FromResult(expired.Count);
        }
    }
}

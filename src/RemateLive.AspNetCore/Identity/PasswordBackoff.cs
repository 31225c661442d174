using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore.Identity;

/// <summary>
/// Exponential back-off per username after failed password checks (this node's view; the shared
/// per-username bucket bounds the cluster): after <c>FailuresBeforeBackoff</c> consecutive failures each
/// further check waits 1 s, 2 s, 4 s… up to <c>MaxBackoff</c>. A success clears it.
/// </summary>
internal sealed class PasswordBackoff(IOptionsMonitor<RemateLiveOptions> options, TimeProvider time)
{
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="username"/> must still wait, or zero.</summary>
    public TimeSpan RetryAfter(string username)
    {
        var now = time.GetUtcNow();
        return _failures.TryGetValue(username, out var entry) && entry.NotBefore > now ? entry.NotBefore - now : TimeSpan.Zero;
    }

    /// <summary>Records a failed check.</summary>
    public void Failed(string username)
    {
        var o = options.CurrentValue.RateLimits;
        var now = time.GetUtcNow();
        if (_failures.Count > PruneAbove)
        {
            foreach (var (key, stale) in _failures)
            {
                if (stale.NotBefore + o.MaxBackoff < now)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        _failures.AddOrUpdate(
            username,
            _ => new Entry(1, now),
            (_, e) =>
            {
                var count = e.Count + 1;
                var over = count - o.FailuresBeforeBackoff;
                var wait = over < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(over, 30)), o.MaxBackoff.TotalSeconds));
                return new Entry(count, now + wait);
            });
    }

    /// <summary>Clears the failures after a successful check.</summary>
    public void Succeeded(string username) => _failures.TryRemove(username, out _);

    private sealed record Entry(int Count, DateTimeOffset NotBefore);
}

using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// Concurrent connections of both transports on this node, per user (<c>Realtime:MaxConnectionsPerUser</c>)
/// and per IP address (<c>Realtime:MaxConnectionsPerIp</c>). A slot taken must be returned exactly once.
/// </summary>
internal sealed class ConnectionCaps(IOptionsMonitor<RemateLiveOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Takes a slot of <paramref name="ip"/>'s cap; null when it is full, else the key to release.</summary>
    public string? TryOpenForAddress(IPAddress? ip) => TryOpen("ip:" + RemateRateLimits.AddressKey(ip), options.CurrentValue.Realtime.MaxConnectionsPerIp);

    /// <summary>Takes a slot of <paramref name="user"/>'s cap; null when it is full, else the key to release.</summary>
    public string? TryOpenForUser(UserId user) => TryOpen("user:" + user, options.CurrentValue.Realtime.MaxConnectionsPerUser);

    /// <summary>Returns a slot taken with <see cref="TryOpenForAddress"/> or <see cref="TryOpenForUser"/>.</summary>
    public void Release(string? key)
    {
        if (key is null)
        {
            return;
        }

        while (_open.TryGetValue(key, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(key, count)) : _open.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }

    private string? TryOpen(string key, int limit)
    {
        while (true)
        {
            if (!_open.TryGetValue(key, out var count))
            {
                if (_open.TryAdd(key, 1))
                {
                    return key;
                }

                continue;
            }

            if (count >= limit)
            {
                return null;
            }

            if (_open.TryUpdate(key, count + 1, count))
            {
                return key;
            }
        }
    }
}

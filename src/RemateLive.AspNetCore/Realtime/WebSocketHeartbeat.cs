using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One timer for every native socket on this node (auction rooms and live sales): each <c>PingInterval</c> it sends one shared
/// <c>ping</c> and closes the connections silent for two intervals (a per-connection timer would cost
/// memory for every idle socket).
/// </summary>
internal sealed class WebSocketHeartbeat(IOptions<RemateLiveOptions> options, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<IHeartbeatSession, byte> _sessions = new();
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _disposed;

    public void Add(IHeartbeatSession session)
    {
        _sessions.TryAdd(session, 0);
        if (Volatile.Read(ref _timer) is null)
        {
            lock (_gate)
            {
                if (_timer is null && !_disposed)
                {
                    var interval = options.Value.Realtime.PingInterval;
                    _timer = time.CreateTimer(static s => ((WebSocketHeartbeat)s!).Beat(), this, interval, interval);
                }
            }
        }
    }

    public void Remove(IHeartbeatSession session) => _sessions.TryRemove(session, out _);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Beat()
    {
        var now = time.GetUtcNow();
        var ping = ServerMessages.Ping(now);
        List<IHeartbeatSession>? stale = null;
        foreach (var session in _sessions.Keys)
        {
            if (!session.TryPing(now, ping))
            {
                (stale ??= []).Add(session);
            }
        }

        // Reaped after everyone else got this tick's ping, so their user_left follows it.
        foreach (var session in stale ?? [])
        {
            session.CloseSilent();
        }
    }
}

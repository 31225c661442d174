using Microsoft.Extensions.Hosting;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// Announces <c>user_left</c> (with the corrected <c>online_count</c>) for users whose connections died
/// with their node: the presence tracker reports each expiry once across the cluster, on the node whose
/// purge saw it; that node tells its rooms and, through the bus, everyone else's. Nothing to do for a
/// tracker without expiry (the in-memory one).
/// </summary>
internal sealed class ExpiredPresenceAnnouncer(IPresenceTracker presence, RoomRegistry rooms) : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (presence is IPresenceExpiry expiry)
        {
            _subscription = expiry.OnUserExpired(rooms.AnnounceExpiredAsync);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _subscription, null)?.Dispose();
}

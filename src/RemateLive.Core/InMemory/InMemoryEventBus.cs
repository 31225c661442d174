using RemateLive.Events;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>The single-node bus: hands published traffic to this process's subscribers.</summary>
public sealed class InMemoryEventBus : IAuctionEventBus
{
    private volatile IAuctionBusHandler[] _handlers = [];
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    public async ValueTask PublishAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default)
    {
        foreach (var h in _handlers)
        {
            await h.OnEventsAsync(events);
        }
    }

    /// <inheritdoc/>
    public async ValueTask PublishPresenceAsync(PresenceNotice notice, CancellationToken cancellationToken = default)
    {
        foreach (var h in _handlers)
        {
            await h.OnPresenceAsync(notice);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IAsyncDisposable> SubscribeAsync(IAuctionBusHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return ValueTask.FromResult<IAsyncDisposable>(new Unsubscriber(this, handler));
    }

    private void Remove(IAuctionBusHandler handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, handler))];
        }
    }

    private sealed class Unsubscriber(InMemoryEventBus bus, IAuctionBusHandler handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            bus.Remove(handler);
            return ValueTask.CompletedTask;
        }
    }
}

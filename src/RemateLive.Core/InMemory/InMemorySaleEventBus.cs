using RemateLive.Ports;
using RemateLive.Sales;

namespace RemateLive.InMemory;

/// <summary>The single-node sale bus: hands published events to this process's subscribers (one instance may be shared by several hosts in one process).</summary>
public sealed class InMemorySaleEventBus : ISaleEventBus
{
    private volatile ISaleBusHandler[] _handlers = [];
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    public async ValueTask PublishAsync(IReadOnlyList<SaleEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        foreach (var h in _handlers)
        {
            await h.OnEventsAsync(events);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IAsyncDisposable> SubscribeAsync(ISaleBusHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return ValueTask.FromResult<IAsyncDisposable>(new Unsubscriber(this, handler));
    }

    private void Remove(ISaleBusHandler handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Where(h => !ReferenceEquals(h, handler))];
        }
    }

    private sealed class Unsubscriber(InMemorySaleEventBus bus, ISaleBusHandler handler) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            bus.Remove(handler);
            return ValueTask.CompletedTask;
        }
    }
}

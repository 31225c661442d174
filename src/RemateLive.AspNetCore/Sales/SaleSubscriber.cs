using RemateLive.AspNetCore.Realtime;
using RemateLive.Feed;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// Feeds one connection (native socket or SignalR) with one sale's events in seq order, without gaps or
/// duplicates: it subscribes to the node's <see cref="SaleFeed"/> first and holds live events back while it
/// replays the stored ones after the client's <c>last_seq</c> (page by page, as the send queue drains).
/// </summary>
internal sealed class SaleSubscriber(RealtimeConnection connection, SaleId saleId, LiveSales sales, SaleFeed feed) : ISaleFeedListener, IDisposable
{
    private const int Page = 100;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private List<SaleEvent>? _held;
    private long _lastSent;
    private IDisposable? _subscription;

    /// <summary>Starts live delivery at <paramref name="knownSeq"/> after replaying the events after <paramref name="lastSeq"/>.</summary>
    public async Task StartAsync(long knownSeq, long lastSeq, CancellationToken ct)
    {
        lock (_gate)
        {
            _held = [];
            _lastSent = knownSeq;
        }

        _subscription = feed.Subscribe(saleId, knownSeq, this);
        await ReplayAsync(lastSeq, ct);
    }

    /// <summary>Replays the events after <paramref name="lastSeq"/> (a <c>resume</c>), then goes live again.</summary>
    public async Task ReplayAsync(long lastSeq, CancellationToken ct)
    {
        await _catchUp.WaitAsync(ct);
        try
        {
            lock (_gate)
            {
                _held ??= [];
                _lastSent = Math.Clamp(lastSeq, 0, _lastSent); // a resume never skips ahead of what was sent
            }

            // Read a page only when the send queue has room for it; wait only when it is really busy (the
            // writer then keeps draining and wakes us), so a replay never overflows a slow client's queue.
            var size = Math.Max(1, Math.Min(Page, connection.Capacity / 2));
            while (true)
            {
                if (connection.FreeRoom < size)
                {
                    await connection.WaitForRoomAsync(size, ct);
                }

                var page = await sales.GetEventsAsync(saleId, _lastSent, size, ct);
                foreach (var e in page)
                {
                    connection.Enqueue(SaleMessages.FromEvent(e));
                    _lastSent = e.Seq;
                }

                if (page.Count < size)
                {
                    break;
                }
            }

            lock (_gate)
            {
                foreach (var e in _held!)
                {
                    if (e.Seq == _lastSent + 1)
                    {
                        connection.Enqueue(SaleMessages.FromEvent(e));
                        _lastSent = e.Seq;
                    }
                }

                _held = null;
            }
        }
        finally
        {
            _catchUp.Release();
        }
    }

    /// <inheritdoc/>
    public void OnEvents(IReadOnlyList<SaleEvent> events)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.AddRange(events);
                return;
            }

            foreach (var e in events)
            {
                if (e.Seq == _lastSent + 1)
                {
                    connection.Enqueue(SaleMessages.FromEvent(e));
                    _lastSent = e.Seq;
                }
            }
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _catchUp.Dispose();
    }
}

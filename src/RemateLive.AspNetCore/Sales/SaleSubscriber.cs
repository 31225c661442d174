using RemateLive.AspNetCore.Realtime;
using RemateLive.Feed;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// Feeds one connection (native socket or SignalR) with one sale's events in seq order, without gaps or
/// duplicates: it subscribes to the node's <see cref="SaleFeed"/> first and holds live events back while it
/// replays the stored ones after the client's <c>last_seq</c> (page by page, as the send queue drains).
/// The hold-back is bounded by the send queue's capacity: a connection that falls further behind while
/// catching up gets <c>error</c> <see cref="SaleErrorCodes.CatchUpOverflow"/> and <paramref name="onOverflow"/>
/// ends it (the client reconnects with its <c>last_seq</c> and misses nothing).
/// </summary>
internal sealed class SaleSubscriber(RealtimeConnection connection, SaleId saleId, LiveSales sales, SaleFeed feed, Action onOverflow) : ISaleFeedListener, IDisposable
{
    private const int Page = 100;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private List<SaleEvent>? _held;
    private long _lastSent;
    private bool _overflowed;
    private IDisposable? _subscription;

    /// <summary>The most live events held back while catching up.</summary>
    public int MaxHeldBack { get; } = Math.Max(1, connection.Capacity);

    /// <summary>Starts live delivery at <paramref name="knownSeq"/> after replaying the events after <paramref name="lastSeq"/>.</summary>
    public async Task StartAsync(long knownSeq, long lastSeq, CancellationToken ct)
    {
        Subscribe(knownSeq);
        await ReplayAsync(lastSeq, ct);
    }

    /// <summary>As <see cref="StartAsync"/>, with the replay in the background (the caller keeps reading its socket).</summary>
    public void Start(long knownSeq, long lastSeq, CancellationToken ct)
    {
        Subscribe(knownSeq);
        StartReplay(lastSeq, ct);
    }

    /// <summary>Runs <see cref="ReplayAsync"/> in the background; a failure drops the connection (the client reconnects and resumes).</summary>
    public void StartReplay(long lastSeq, CancellationToken ct)
    {
        lock (_gate)
        {
            _held ??= []; // from now on, until the replay ends
        }

        _ = RunReplayAsync(lastSeq, ct);
    }

    /// <summary>Replays the events after <paramref name="lastSeq"/> (a <c>resume</c>), then goes live again.</summary>
    public async Task ReplayAsync(long lastSeq, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        ct = linked.Token;
        await _catchUp.WaitAsync(ct);
        try
        {
            lock (_gate)
            {
                if (_overflowed)
                {
                    return;
                }

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

                var page = await sales.GetEventsAsync(saleId, Interlocked.Read(ref _lastSent), size, ct);
                lock (_gate)
                {
                    if (_overflowed)
                    {
                        return;
                    }

                    foreach (var e in page)
                    {
                        if (e.Seq == _lastSent + 1)
                        {
                            connection.Enqueue(SaleMessages.FromEvent(e));
                            _lastSent = e.Seq;
                        }
                    }

                    if (page.Count < size && JoinHeldLocked(force: page.Count == 0))
                    {
                        return;
                    }
                }
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
            if (_overflowed)
            {
                return;
            }

            if (_held is not null)
            {
                if (_held.Count + events.Count <= MaxHeldBack)
                {
                    _held.AddRange(events);
                    return;
                }

                // Full: say why (when the queue has room for it); the replay stops and the owner ends the connection.
                _overflowed = true;
                _held = null;
                if (connection.FreeRoom > 0)
                {
                    connection.Enqueue(SaleMessages.CatchUpOverflow(MaxHeldBack));
                }
            }
            else
            {
                foreach (var e in events)
                {
                    if (e.Seq == _lastSent + 1)
                    {
                        connection.Enqueue(SaleMessages.FromEvent(e));
                        _lastSent = e.Seq;
                    }
                }

                return;
            }
        }

        _stop.Cancel();
        onOverflow();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _stop.Cancel();
    }

    private void Subscribe(long knownSeq)
    {
        lock (_gate)
        {
            _held = [];
            _lastSent = knownSeq;
        }

        _subscription = feed.Subscribe(saleId, knownSeq, this);
    }

    private async Task RunReplayAsync(long lastSeq, CancellationToken ct)
    {
        try
        {
            await Task.Yield(); // never on the caller's stack: the socket's receive loop keeps reading
            await ReplayAsync(lastSeq, ct);
        }
        catch (OperationCanceledException)
        {
            // The connection went away.
        }
        catch (Exception)
        {
            connection.Abort(AbortReason.SendFailed); // a store failure: the client reconnects and resumes
        }
    }

    // Appends the held-back live events when the stored ones reached them; false when the store has more
    // to read first (committed between two reads). Forced when the store gave nothing new: never spin.
    private bool JoinHeldLocked(bool force)
    {
        var held = _held!;
        var first = held.FindIndex(e => e.Seq > _lastSent);
        if (first >= 0 && held[first].Seq != _lastSent + 1 && !force)
        {
            return false;
        }

        _held = null;
        for (var i = Math.Max(0, first); first >= 0 && i < held.Count; i++)
        {
            if (held[i].Seq > _lastSent)
            {
                connection.Enqueue(SaleMessages.FromEvent(held[i]));
                _lastSent = held[i].Seq;
            }
        }

        return true;
    }
}

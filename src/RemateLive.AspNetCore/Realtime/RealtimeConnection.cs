using System.Threading.Channels;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// One client connection of either transport: a bounded send queue drained by a single writer loop, so a
/// slow reader only fills its own queue and never delays anyone else. When the queue is full the
/// connection is dropped (<see cref="Abort"/>) rather than buffering without limit.
/// </summary>
internal abstract class RealtimeConnection
{
    private readonly Channel<ServerMessage> _queue;
    private readonly int _presenceLimit;
    private readonly Lock _roomGate = new();
    private TaskCompletionSource? _roomWaiter;
    private int _roomNeeded;
    private int _aborted;
    private double _replayTokens = double.NaN;
    private long _replayStamp;

    protected RealtimeConnection(string id, string transport, int capacity)
    {
        Id = id;
        Transport = transport;
        Capacity = capacity;
        _presenceLimit = Math.Max(1, capacity / 2);
        _queue = Channel.CreateBounded<ServerMessage>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: that is the overflow signal
        });
    }

    /// <summary>Unique id (also the presence tracker's connection id).</summary>
    public string Id { get; }

    /// <summary><c>websocket</c> or <c>signalr</c>.</summary>
    public string Transport { get; }

    /// <summary>How many messages the send queue holds at most.</summary>
    public int Capacity { get; }

    /// <summary>How many more messages the send queue can take now.</summary>
    public int FreeRoom => Capacity - _queue.Reader.Count;

    /// <summary>Whether the connection was dropped (overflow, heartbeat, disconnect).</summary>
    public bool IsAborted => Volatile.Read(ref _aborted) == 1;

    /// <summary>Queues a message; never blocks. False (and the connection dropped) when the queue is full.</summary>
    public bool Enqueue(ServerMessage message)
    {
        if (IsAborted)
        {
            return false;
        }

        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        Abort(AbortReason.SlowReader);
        return false;
    }

    /// <summary>
    /// Queues a presence message (<c>user_joined</c>/<c>user_left</c>) unless the queue is already half
    /// full: presence is not durable and the next one carries the current count, so a connection that is
    /// behind skips it instead of letting it delay durable events or overflow the queue.
    /// </summary>
    public void EnqueuePresence(ServerMessage message)
    {
        if (!IsAborted && _queue.Reader.Count < _presenceLimit)
        {
            _queue.Writer.TryWrite(message);
        }
    }

    /// <summary>
    /// Completes when the queue has room for <paramref name="room"/> more messages (at most the capacity):
    /// catch-up reads the store page by page as the client drains, instead of overflowing the queue.
    /// Throws <see cref="OperationCanceledException"/> when the connection is dropped meanwhile.
    /// </summary>
    public Task WaitForRoomAsync(int room, CancellationToken cancellationToken)
    {
        room = Math.Clamp(room, 1, Capacity);
        lock (_roomGate)
        {
            if (IsAborted)
            {
                return Task.FromCanceled(new CancellationToken(canceled: true));
            }

            if (Capacity - _queue.Reader.Count >= room)
            {
                return Task.CompletedTask;
            }

            _roomWaiter?.TrySetCanceled(CancellationToken.None); // a newer catch-up took over
            _roomNeeded = room;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _roomWaiter, waiter); // a full fence before the re-check below

            // The writer signals without the lock when it sees no waiter: a send that dequeued between the
            // check above and the waiter's publication saw none, so check again now that it is visible.
            if (Capacity - _queue.Reader.Count >= room)
            {
                _roomWaiter = null;
                return Task.CompletedTask;
            }

            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Takes a token from this connection's replay bucket (catch-ups: join behind the room, <c>resume</c>);
    /// false when the client asks for replays faster than <paramref name="perSecond"/> after a burst of <paramref name="burst"/>.
    /// </summary>
    public bool TryStartReplay(int burst, double perSecond, TimeProvider time)
    {
        lock (_roomGate)
        {
            var now = time.GetTimestamp();
            _replayTokens = double.IsNaN(_replayTokens)
                ? burst
                : Math.Min(burst, _replayTokens + (time.GetElapsedTime(_replayStamp, now).TotalSeconds * perSecond));
            _replayStamp = now;
            if (_replayTokens < 1)
            {
                return false;
            }

            _replayTokens--;
            return true;
        }
    }

    /// <summary>Drops the connection once; later calls do nothing.</summary>
    public void Abort(AbortReason reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _queue.Writer.TryComplete();
            lock (_roomGate)
            {
                _roomWaiter?.TrySetCanceled();
                _roomWaiter = null;
            }

            OnAbort(reason);
        }
    }

    // Called by the writer after each send: wakes a catch-up waiting for room.
    private void SignalRoom()
    {
        if (Volatile.Read(ref _roomWaiter) is null)
        {
            return;
        }

        lock (_roomGate)
        {
            if (_roomWaiter is { } waiter && Capacity - _queue.Reader.Count >= _roomNeeded)
            {
                _roomWaiter = null;
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting messages; the writer loop ends after sending what is queued.</summary>
    protected void CompleteQueue() => _queue.Writer.TryComplete();

    /// <summary>Sends queued messages one at a time until the queue completes or sending fails.</summary>
    protected async Task RunWriterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                SignalRoom();
                await SendAsync(message, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away mid-send: only this connection ends.
            Abort(AbortReason.SendFailed);
        }
    }

    /// <summary>Writes one message to the client.</summary>
    protected abstract ValueTask SendAsync(ServerMessage message, CancellationToken cancellationToken);

    /// <summary>Tears down the transport (called once).</summary>
    protected abstract void OnAbort(AbortReason reason);
}

/// <summary>Why a connection was dropped.</summary>
internal enum AbortReason
{
    SlowReader,
    SendFailed,
    Stale,
    Closed,
}

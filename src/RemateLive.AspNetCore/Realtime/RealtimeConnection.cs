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
    private int _aborted;

    protected RealtimeConnection(string id, string transport, int capacity)
    {
        Id = id;
        Transport = transport;
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

    /// <summary>Drops the connection once; later calls do nothing.</summary>
    public void Abort(AbortReason reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _queue.Writer.TryComplete();
            OnAbort(reason);
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

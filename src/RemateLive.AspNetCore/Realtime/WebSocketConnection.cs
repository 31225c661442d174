using System.Net.WebSockets;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>A native WebSocket client: sends each queued message's shared UTF-8 bytes as one text frame.</summary>
internal sealed class WebSocketConnection(WebSocket socket, int capacity, TimeProvider time)
    : RealtimeConnection(Guid.NewGuid().ToString("N"), TransportName, capacity)
{
    public const string TransportName = "websocket";

    // How long a requested close may take before the socket is dropped.
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private WebSocketCloseStatus? _closeStatus;
    private string? _closeDescription;
    private ITimer? _graceTimer;

    /// <summary>Runs the writer loop; after a requested close, sends the close frame.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await RunWriterAsync(cancellationToken);
        if (_closeStatus is { } status && !IsAborted)
        {
            try
            {
                await socket.CloseOutputAsync(status, _closeDescription, cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                Abort(AbortReason.SendFailed);
            }
        }
    }

    /// <summary>
    /// Sends what is queued, then a close frame with <paramref name="status"/>; drops the socket if the
    /// client has not completed the close within a grace period.
    /// </summary>
    public void RequestClose(WebSocketCloseStatus status, string description)
    {
        if (_closeStatus is not null || IsAborted)
        {
            return;
        }

        _closeStatus = status;
        _closeDescription = description;
        CompleteQueue();
        _graceTimer = time.CreateTimer(static s => ((WebSocketConnection)s!).Abort(AbortReason.Closed), this, CloseGrace, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether a close was requested by the server.</summary>
    public bool IsClosing => _closeStatus is not null;

    /// <summary>Releases the grace timer.</summary>
    public void DisposeTimers() => _graceTimer?.Dispose();

    protected override ValueTask SendAsync(ServerMessage message, CancellationToken cancellationToken) =>
        socket.SendAsync(message.Utf8, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    protected override void OnAbort(AbortReason reason) => socket.Abort();
}

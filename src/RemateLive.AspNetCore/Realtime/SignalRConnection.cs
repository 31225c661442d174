using Microsoft.AspNetCore.SignalR;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// A SignalR client: queued messages are sent one at a time as <c>SendAsync(type, payload)</c>, so handlers
/// are named like the socket's types and see the same payloads, in seq order.
/// </summary>
internal sealed class SignalRConnection(HubCallerContext context, IHubContext<AuctionHub> hub, int capacity)
    : RealtimeConnection(context.ConnectionId, TransportName, capacity)
{
    public const string TransportName = "signalr";

    private readonly Dictionary<AuctionId, RoomMembership> _rooms = [];
    private Task? _writer;

    /// <summary>This connection's rooms; lock on it.</summary>
    public Dictionary<AuctionId, RoomMembership> Rooms => _rooms;

    public void Start() => _writer = RunWriterAsync(context.ConnectionAborted);

    public Task Completion => _writer ?? Task.CompletedTask;

    protected override async ValueTask SendAsync(ServerMessage message, CancellationToken cancellationToken) =>
        await hub.Clients.Client(Id).SendAsync(message.Type, WireJsonValue.Payload(message), cancellationToken);

    protected override void OnAbort(AbortReason reason)
    {
        if (reason != AbortReason.Closed)
        {
            context.Abort();
        }
    }
}

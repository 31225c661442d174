using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>A real <see cref="ClientWebSocket"/> speaking the JSON protocol, with receive timeouts so a missing message fails the test instead of hanging it.</summary>
public sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private TestSocket(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Every message received so far, in order.</summary>
    public List<JsonElement> Received { get; } = [];

    /// <summary>The <c>auth_ok</c> received when joining.</summary>
    public JsonElement AuthOk { get; set; }

    public WebSocketCloseStatus? CloseStatus => Socket.CloseStatus;

    public static async Task<TestSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? options = null)
    {
        var socket = new ClientWebSocket();
        options?.Invoke(socket.Options);
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, cts.Token);
        return new TestSocket(socket);
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next message of any type; null when the server closed the connection.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var element = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                Received.Add(element);
                return element;
            }
        }
    }

    /// <summary>The next message of <paramref name="type"/>, skipping others (pings, presence, …); fails on close or timeout.</summary>
    public async Task<JsonElement> NextAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException($"Closed ({Socket.CloseStatus}) while waiting for {type}.");
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }

    /// <summary>The next message that is not a ping.</summary>
    public async Task<JsonElement> NextNonPingAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException($"Closed ({Socket.CloseStatus}).");
            if (message.GetProperty("type").GetString() != "ping")
            {
                return message;
            }
        }
    }

    /// <summary>Reads (and keeps) messages until the server's close frame; returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return Socket.CloseStatus;
    }

    public Task BidAsync(long amountCents, long? version = null, string? idempotencyKey = null, long? maxAmountCents = null) =>
        SendAsync(new { type = "bid", payload = new { amount_cents = amountCents, version, idempotency_key = idempotencyKey, max_amount_cents = maxAmountCents } });

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Socket.State == WebSocketState.Open || Socket.State == WebSocketState.CloseReceived)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        Socket.Dispose();
    }
}

public static class JsonElementExtensions
{
    public static string Type(this JsonElement message) => message.GetProperty("type").GetString()!;

    public static JsonElement Payload(this JsonElement message) => message.GetProperty("payload");

    public static long Seq(this JsonElement message) => message.Payload().GetProperty("seq").GetInt64();

    public static string Str(this JsonElement message, string name) => message.Payload().GetProperty(name).GetString()!;

    public static long Num(this JsonElement message, string name) => message.Payload().GetProperty(name).GetInt64();
}

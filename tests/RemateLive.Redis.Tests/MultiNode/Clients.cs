using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>A server message: its type and payload.</summary>
internal sealed record Message(string Type, JsonElement Payload)
{
    public long Seq => Payload.GetProperty("seq").GetInt64();

    /// <summary>When it was read off the socket (<see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long ReceivedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
}

/// <summary>The REST API of one node.</summary>
internal sealed class Api(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    public async Task<string> LoginAsync(string username, string? password = null)
    {
        using var response = await _http.PostAsJsonAsync("/api/auth/login", new Dictionary<string, string?>
        {
            ["username"] = username,
            ["display_name"] = username,
            ["password"] = password,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login {username}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    public async Task<string> CreateAuctionAsync(string adminToken, DateTimeOffset endsAt, long startingCents = 1_000)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auctions")
        {
            Content = JsonContent.Create(new
            {
                title = "Cluster test lot",
                description = "Multi-node test",
                image_url = (string?)null,
                currency = "USD",
                starting_price_cents = startingCents,
                increment = new { kind = "fixed", amount_cents = 100 },
                ends_at = endsAt.UtcDateTime.ToString("O"),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create auction: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<HttpStatusCode> BidAsync(string token, string auctionId, long amountCents)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/auctions/{auctionId}/bids")
        {
            Content = JsonContent.Create(new { amount_cents = amountCents }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON with a bearer token; asserts <paramref name="expected"/> and returns the answer.</summary>
    public async Task<JsonElement> PostAsync(string path, string token, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var body = await _http.GetStringAsync(path);
        return JsonDocument.Parse(body).RootElement;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync()
    {
        using var response = await _http.GetAsync("/health");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }
}

/// <summary>A native WebSocket client in one auction room; records every message it receives.</summary>
internal sealed class SocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Message> _inbox = Channel.CreateUnbounded<Message>();
    private readonly List<Message> _seen = [];
    private Task? _reader;

    public IReadOnlyList<Message> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Durable events received (messages with a seq), in arrival order.</summary>
    public IReadOnlyList<Message> Events => [.. Seen.Where(m => m.Payload.ValueKind == JsonValueKind.Object && m.Payload.TryGetProperty("seq", out _) && m.Type != "bid_error")];

    public Message? AuthOk { get; private set; }

    public static async Task<SocketClient> JoinAsync(Uri node, string auctionId, string username, string token, long lastSeq = 0)
    {
        var client = new SocketClient();
        var uri = new UriBuilder(node) { Scheme = "ws", Path = $"/ws/auctions/{auctionId}" }.Uri;
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        client._reader = client.ReadAsync();
        await client.SendAsync("auth", new { username, display_name = username, token, last_seq = lastSeq });
        client.AuthOk = await client.WaitForAsync("auth_ok");
        return client;
    }

    /// <summary>Follows a live sale on <c>/ws/sales/{saleId}</c> (auth with a token).</summary>
    public static async Task<SocketClient> JoinSaleAsync(Uri node, string saleId, string token)
    {
        var client = new SocketClient();
        var uri = new UriBuilder(node) { Scheme = "ws", Path = $"/ws/sales/{saleId}" }.Uri;
        await client._socket.ConnectAsync(uri, CancellationToken.None);
        client._reader = client.ReadAsync();
        await client.SendAsync("auth", new { token });
        client.AuthOk = await client.WaitForAsync("auth_ok");
        return client;
    }

    public Task BidAsync(long amountCents, string? idempotencyKey = null) =>
        SendAsync("bid", new { amount_cents = amountCents, idempotency_key = idempotencyKey });

    public async Task SendAsync(string type, object payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { type, payload });
        await _socket.SendAsync(json, WebSocketMessageType.Text, true, CancellationToken.None);
    }

    /// <summary>The next message of <paramref name="type"/> (matching <paramref name="match"/>), skipping others.</summary>
    public async Task<Message> WaitForAsync(string type, Func<Message, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var m = await _inbox.Reader.ReadAsync(cts.Token);
                if (m.Type == type && (match is null || match(m)))
                {
                    return m;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No '{type}' within {timeout ?? TimeSpan.FromSeconds(20)}; seen: {string.Join(", ", Seen.Select(s => s.Type))}");
        }
    }

    /// <summary>Waits until the events received include seq <paramref name="seq"/>.</summary>
    public async Task<IReadOnlyList<Message>> WaitForSeqAsync(long seq, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!Events.Any(e => e.Seq >= seq))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Seq {seq} never arrived; got {string.Join(",", Events.Select(e => e.Seq))}.");
            }

            await Task.Delay(50);
        }

        return Events;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        if (_reader is not null)
        {
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var root = JsonDocument.Parse(message.ToArray()).RootElement;
                message.SetLength(0);
                var m = new Message(root.GetProperty("type").GetString()!, root.TryGetProperty("payload", out var p) ? p.Clone() : default);
                if (m.Type == "ping")
                {
                    await SendAsync("pong", new { });
                }

                lock (_seen)
                {
                    _seen.Add(m);
                }

                _inbox.Writer.TryWrite(m);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the node went away or we closed
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }
}

using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using RemateLive.Client.Internal;

namespace RemateLive.Client;

/// <summary>
/// One auction room over the native WebSocket (<c>/ws/auctions/{id}</c>), kept alive for you: it reconnects
/// with back-off and jitter, resumes from <see cref="LastSeq"/> so every durable event arrives exactly once
/// and in order (gaps are filled from <c>GET /api/auctions/{id}/events</c>), answers pings, corrects for the
/// server's clock, and retries bids with one idempotency key until they have an outcome (placed at most once).
/// </summary>
/// <example>
/// <code>
/// await using var client = await RemateLiveClient.ConnectAsync(new() { BaseAddress = new("http://127.0.0.1:5080"), Username = "ana" }, auctionId);
/// var result = await client.PlaceBidAsync(client.MinNextBidCents);
/// await foreach (var e in client.ReadEventsAsync(ct)) { if (e is BidPlaced b) Console.WriteLine($"{b.Seq}: {b.AmountCents}"); }
/// </code>
/// </example>
public sealed class RemateLiveClient : IAsyncDisposable
{
    private const int BidRetryLimit = 8;

    // A bid unanswered this long on an open socket is sent again with its key (a lost reply costs one resend, never a second bid).
    private static readonly TimeSpan BidResendAfter = TimeSpan.FromSeconds(5);
    private const int MaxFrameBytes = 4 * 1024 * 1024;
    private readonly RemateLiveClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Backoff _backoff;
    private readonly Channel<AuctionEvent> _events = Channel.CreateUnbounded<AuctionEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Dictionary<string, PendingBid> _pending = new(StringComparer.Ordinal);
    private readonly Lock _pendingLock = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri _socketUri;
    private SeqTracker? _seq;
    private ClientWebSocket? _socket;
    private Task _run = Task.CompletedTask;
    private Task _resend = Task.CompletedTask;
    private long _minNextBid;
    private long _clockOffsetTicks;
    private int _disposed;
    private Exception? _fault;

    private RemateLiveClient(RemateLiveClientOptions options, string auctionId, long? lastSeq)
    {
        options.Validate();
        _options = options;
        AuctionId = auctionId;
        Token = options.Token;
        if (lastSeq is long seq)
        {
            _seq = new SeqTracker(seq);
        }

        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        _backoff = new Backoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, Random.Shared.NextDouble);
        var ws = new UriBuilder(new Uri(options.BaseAddress, options.SocketPath.TrimEnd('/') + "/" + Uri.EscapeDataString(auctionId)))
        {
            Scheme = options.BaseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        };
        _socketUri = ws.Uri;
    }

    /// <summary>The auction this client watches.</summary>
    public string AuctionId { get; }

    /// <summary>The sign-in token (from <c>auth_ok</c>); reused on every reconnect, and yours to keep for next time.</summary>
    public string? Token { get; private set; }

    /// <summary>The signed-in user's id.</summary>
    public string? UserId { get; private set; }

    /// <summary>The signed-in username.</summary>
    public string? Username { get; private set; }

    /// <summary>The snapshot of the latest (re)connection's <c>auth_ok</c>.</summary>
    public AuctionSnapshot? Auction { get; private set; }

    /// <summary>The seq of the last durable event delivered through <see cref="ReadEventsAsync"/>'s buffer (what a reconnect resumes from).</summary>
    public long LastSeq => Volatile.Read(ref _seq)?.Last ?? 0;

    /// <summary>The auction's minimum next bid as last reported by the server.</summary>
    public long MinNextBidCents => Interlocked.Read(ref _minNextBid);

    /// <summary>True while a socket is open and signed in.</summary>
    public bool IsConnected => Volatile.Read(ref _socket) is { State: WebSocketState.Open };

    /// <summary>Server clock minus local clock, estimated at each sign-in (half the round trip of <c>auth</c> is allowed for).</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>The server's "now" (local clock + <see cref="ClockOffset"/>): use it for countdowns.</summary>
    public DateTimeOffset ServerNow => _options.TimeProvider.GetUtcNow() + ClockOffset;

    /// <summary>
    /// Connects and signs in to the auction's room. Fails with <see cref="RemateLiveClientException"/> when the server
    /// refuses the identity or the auction; transport failures of this first attempt are thrown as they are.
    /// </summary>
    /// <param name="options">Where and who.</param>
    /// <param name="auctionId">The auction.</param>
    /// <param name="lastSeq">Resume after this seq (events after it are replayed); null: start from the snapshot.</param>
    /// <param name="cancellationToken">Cancels the first connection attempt.</param>
    /// <returns>A connected client; dispose it to leave the room.</returns>
    public static async Task<RemateLiveClient> ConnectAsync(RemateLiveClientOptions options, string auctionId, long? lastSeq = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(auctionId);
        var client = new RemateLiveClient(options, auctionId, lastSeq);
        try
        {
            var socket = await client.ConnectOnceAsync(resumed: false, cancellationToken);
            client._run = Task.Run(() => client.RunAsync(socket), CancellationToken.None);
            client._resend = Task.Run(client.ResendUnansweredAsync, CancellationToken.None);
            return client;
        }
        catch (TransientAuthException ex)
        {
            await client.DisposeAsync();
            throw ex.ToFinal();
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The room's events, in order: every durable event (<see cref="SequencedEvent"/>) exactly once by seq across
    /// reconnects, plus presence, outbid and connection-state notices. Events are buffered from the moment the client
    /// connects; read them with one reader at a time. Ends when the client is disposed, or throws
    /// <see cref="RemateLiveClientException"/> when the server refuses a reconnection for good.
    /// </summary>
    /// <param name="cancellationToken">Stops the enumeration (not the client).</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<AuctionEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Places a bid and waits for its outcome. The bid carries an idempotency key and is re-sent with that key after
    /// every reconnect (and after <c>UNAVAILABLE</c>/<c>CONCURRENCY</c>, with back-off) until the server answers, so it
    /// is placed at most once and you get its one outcome. Cancelling stops the waiting, not the bid: it may still be
    /// placed — call again with the same key to learn its outcome.
    /// </summary>
    /// <param name="amountCents">The amount in cents.</param>
    /// <param name="maxAmountCents">A proxy-bidding maximum (never revealed), or null.</param>
    /// <param name="idempotencyKey">Your key (e.g. persisted across restarts of your app); null: a new GUID.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The bid's outcome.</returns>
    public Task<BidResult> PlaceBidAsync(long amountCents, long? maxAmountCents = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SubmitAsync(idempotencyKey, key => Wire.Bid(amountCents, maxAmountCents, key), cancellationToken);

    /// <summary>
    /// While leading, raises your secret maximum without bidding against yourself: the price stays, others learn only
    /// that the leader raised it. Same exactly-once-by-key delivery as <see cref="PlaceBidAsync"/>. The result carries
    /// <see cref="BidResult.Raised"/>, or <see cref="BidResult.Bid"/> when the new maximum lifted the price to an unmet
    /// reserve; refused with <c>NOT_LEADING</c> or <c>MAX_TOO_LOW</c>.
    /// </summary>
    /// <param name="maxAmountCents">The new maximum, above your current one.</param>
    /// <param name="idempotencyKey">Your key; null: a new GUID.</param>
    /// <param name="cancellationToken">Stops waiting (not the raise).</param>
    /// <returns>The outcome.</returns>
    public Task<BidResult> RaiseMaximumAsync(long maxAmountCents, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SubmitAsync(idempotencyKey, key => Wire.RaiseMax(maxAmountCents, key), cancellationToken);

    private async Task<BidResult> SubmitAsync(string? idempotencyKey, Func<string, byte[]> frame, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw fault;
        }

        var key = string.IsNullOrEmpty(idempotencyKey) ? Guid.NewGuid().ToString("N") : idempotencyKey;
        var bid = new PendingBid(frame(key));
        lock (_pendingLock)
        {
            if (_pending.TryGetValue(key, out var existing))
            {
                bid = existing;
            }
            else
            {
                _pending[key] = bid;
            }
        }

        bid.SentAt = _options.TimeProvider.GetTimestamp();
        await TrySendAsync(bid.Frame);
        return await bid.Outcome.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Leaves the room (closes the socket), stops reconnecting, ends <see cref="ReadEventsAsync"/>, and fails bids still waiting.</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        if (Volatile.Read(ref _socket) is { } socket)
        {
            await CloseQuietlyAsync(socket);
        }

        try
        {
            await _run;
            await _resend;
        }
        catch (OperationCanceledException)
        {
        }

        _events.Writer.TryComplete();
        FailPending(new ObjectDisposedException(nameof(RemateLiveClient)));
        if (_ownsHttp)
        {
            _http.Dispose();
        }

        _sendLock.Dispose();
        _stop.Dispose();
    }

    // Reads the current socket until it fails, then reconnects (back-off + jitter) and resumes, until disposed.
    private async Task RunAsync(ClientWebSocket socket)
    {
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                string reason = await ReceiveAsync(socket, stop);
                Volatile.Write(ref _socket, null);
                socket.Abort();
                socket.Dispose();
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                _events.Writer.TryWrite(new Disconnected(reason));
                for (var attempt = 0; ; attempt++)
                {
                    await Task.Delay(_backoff.Delay(attempt), _options.TimeProvider, stop);
                    try
                    {
                        socket = await ConnectOnceAsync(resumed: true, stop);
                        break;
                    }
                    catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or TimeoutException or TransientAuthException
                                                   || (ex is OperationCanceledException && !stop.IsCancellationRequested))
                    {
                        // Still down: try again later.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RemateLiveClientException ex)
        {
            _fault = ex;
            _events.Writer.TryComplete(ex);
            FailPending(ex);
        }
    }

    private async Task ResendUnansweredAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _options.TimeProvider);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            PendingBid[] late;
            lock (_pendingLock)
            {
                late = [.. _pending.Values.Where(b => _options.TimeProvider.GetElapsedTime(b.SentAt) >= BidResendAfter)];
            }

            foreach (var bid in late)
            {
                bid.SentAt = _options.TimeProvider.GetTimestamp();
                await TrySendAsync(bid.Frame);
            }
        }
    }

    // One connect + auth (+ last_seq). Returns the signed-in socket, its pending bids re-sent.
    private async Task<ClientWebSocket> ConnectOnceAsync(bool resumed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the protocol has its own ping/pong
        socket.Options.CollectHttpResponseDetails = true;
        _options.ConfigureWebSocket?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(_socketUri, _options.WebSocketInvoker, timeout.Token);
            var sentAt = _options.TimeProvider.GetTimestamp();
            var seq = Volatile.Read(ref _seq);
            var auth = Wire.Auth(Token, _options.Username, _options.DisplayName, _options.Password, seq?.Last);
            await socket.SendAsync(auth, WebSocketMessageType.Text, true, timeout.Token);
            var buffer = new FrameBuffer();
            while (true)
            {
                if (!await buffer.ReadAsync(socket, timeout.Token))
                {
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"closed before auth_ok ({socket.CloseStatus} {socket.CloseStatusDescription})");
                }

                var m = Wire.Parse(buffer.Frame);
                if (m.Type == "ping")
                {
                    await socket.SendAsync(Wire.Pong, WebSocketMessageType.Text, true, timeout.Token);
                    continue;
                }

                if (m.Type == "auth_error")
                {
                    var code = m.String("code") ?? "UNKNOWN";
                    var message = m.String("error") ?? "";
                    throw code is "RATE_LIMITED" or "UNAVAILABLE" ? new TransientAuthException(code, message) : new RemateLiveClientException(code, message);
                }

                if (m.Type != "auth_ok")
                {
                    continue;
                }

                OnAuthOk(m, sentAt, resumed);
                break;
            }

            Volatile.Write(ref _socket, socket);
            PendingBid[] pending;
            lock (_pendingLock)
            {
                pending = [.. _pending.Values];
            }

            foreach (var bid in pending)
            {
                bid.SentAt = _options.TimeProvider.GetTimestamp();
                await SendAsync(socket, bid.Frame, timeout.Token);
            }

            return socket;
        }
        catch (WebSocketException) when (socket.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            socket.Dispose();
            throw new RemateLiveClientException("NOT_FOUND", $"No auction {AuctionId}.");
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }
    }

    private void OnAuthOk(ServerMessage m, long sentAt, bool resumed)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var rtt = _options.TimeProvider.GetElapsedTime(sentAt);
        var serverTime = Wire.Time(m.Payload, "server_time");
        if (serverTime != default)
        {
            Interlocked.Exchange(ref _clockOffsetTicks, (serverTime - (now - (rtt / 2))).Ticks);
        }

        Token = m.String("token") ?? Token;
        UserId = m.String("user_id") ?? UserId;
        Username = m.String("username") ?? Username;
        var snapshot = m.Payload.TryGetProperty("auction", out var a) ? Wire.ToSnapshot(a) : null;
        Auction = snapshot ?? Auction;
        if (snapshot is not null)
        {
            Interlocked.Exchange(ref _minNextBid, snapshot.MinNextBidCents);
            if (Volatile.Read(ref _seq) is null)
            {
                Volatile.Write(ref _seq, new SeqTracker(snapshot.Version));
            }
        }

        if (snapshot is not null)
        {
            _events.Writer.TryWrite(new Connected(snapshot, (int)(m.Int64("online_count") ?? 0), resumed));
        }
    }

    // The receive loop of one signed-in socket: returns why it ended.
    private async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var buffer = new FrameBuffer();
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        try
        {
            while (true)
            {
                idle.CancelAfter(_options.IdleTimeout);
                if (!await buffer.ReadAsync(socket, idle.Token))
                {
                    return $"closed by the server ({(int?)socket.CloseStatus} {socket.CloseStatusDescription})";
                }

                await HandleAsync(socket, Wire.Parse(buffer.Frame), stop);
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return $"silent for {_options.IdleTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or JsonException)
        {
            return ex.Message;
        }
    }

    private async Task HandleAsync(ClientWebSocket socket, ServerMessage m, CancellationToken stop)
    {
        switch (m.Type)
        {
            case "ping":
                await TrySendAsync(Wire.Pong);
                return;
            case "bid_error":
                RaiseMinNext(m.Int64("min_next_bid_cents"));
                if (m.String("idempotency_key") is { } failedKey)
                {
                    OnBidError(failedKey, m);
                }

                return;
            case "outbid":
                _events.Writer.TryWrite(new Outbid(m.Int64("amount_cents") ?? 0, m.String("bidder_name") ?? "", (int)(m.Int64("paddle") ?? 0), m.Int64("min_next_bid_cents") ?? 0, m.Int64("seq") ?? 0));
                return;
            case "user_joined" or "user_left":
                _events.Writer.TryWrite(new PresenceChanged(m.Type == "user_joined", m.String("username") ?? "", m.String("display_name") ?? "", (int)(m.Int64("online_count") ?? 0)));
                return;
        }

        if (Wire.ToSequenced(m) is not { } e)
        {
            return; // error, a second auth_ok, or a type this version does not know: nothing to deliver
        }

        if (e is BidPlaced placed)
        {
            RaiseMinNext(placed.MinNextBidCents);
            if (m.String("idempotency_key") is { } key && TakePending(key) is { } bid)
            {
                bid.Outcome.TrySetResult(new BidResult(key, true, placed, null, null, placed.MinNextBidCents));
            }
        }
        else if (e is MaximumRaised raised && m.String("idempotency_key") is { } key && TakePending(key) is { } raise)
        {
            raise.Outcome.TrySetResult(new BidResult(key, true, null, null, null, MinNextBidCents, raised));
        }

        await DeliverAsync(socket, e, stop);
    }

    // Exactly once, in order (GapFill); when the store cannot fill a gap, the socket replays after our last seq.
    private async Task DeliverAsync(ClientWebSocket socket, SequencedEvent e, CancellationToken stop)
    {
        var seq = Volatile.Read(ref _seq)!;
        var (release, resumeNeeded) = await GapFill.AcceptAsync(seq, e, FetchEventsAsync, stop);
        foreach (var ready in release)
        {
            _events.Writer.TryWrite(ready);
        }

        if (resumeNeeded)
        {
            await SendAsync(socket, Wire.Resume(seq.Last), stop);
        }
    }

    internal async Task<List<SequencedEvent>> FetchEventsAsync(long after, long upTo, CancellationToken stop)
    {
        var found = new List<SequencedEvent>();
        while (after < upTo)
        {
            var uri = new Uri(_options.BaseAddress, $"{_options.ApiPath.TrimEnd('/')}/auctions/{Uri.EscapeDataString(AuctionId)}/events?after_seq={after}&limit=500");
            using var doc = await _http.GetFromJsonAsync<JsonDocument>(uri, stop) ?? throw new JsonException("empty events page");
            var page = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var type = item.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                var payload = item.TryGetProperty("payload", out var p) ? p.Clone() : default;
                if (Wire.ToSequenced(new ServerMessage(type, payload)) is { } e && e.Seq > after && e.Seq <= upTo)
                {
                    found.Add(e);
                }

                page++;
            }

            if (page == 0 || found.Count == 0 || found[^1].Seq <= after)
            {
                break;
            }

            after = found[^1].Seq;
        }

        return found;
    }

    private void OnBidError(string key, ServerMessage m)
    {
        PendingBid? bid;
        lock (_pendingLock)
        {
            _pending.TryGetValue(key, out bid);
        }

        if (bid is null)
        {
            return;
        }

        var code = m.String("code") ?? "UNKNOWN";
        if (code is "UNAVAILABLE" or "CONCURRENCY" && bid.Retries < BidRetryLimit)
        {
            // Nothing was placed: the same key again, later (not blocking the receive loop).
            var delay = _backoff.Delay(bid.Retries++);
            _ = Task.Run(
                async () =>
                {
                    await Task.Delay(delay, _options.TimeProvider, _stop.Token);
                    bid.SentAt = _options.TimeProvider.GetTimestamp();
                    await TrySendAsync(bid.Frame);
                },
                _stop.Token);
            return;
        }

        if (TakePending(key) is { } taken)
        {
            taken.Outcome.TrySetResult(new BidResult(key, false, null, code, m.String("error"), m.Int64("min_next_bid_cents")));
        }
    }

    private PendingBid? TakePending(string key)
    {
        lock (_pendingLock)
        {
            return _pending.Remove(key, out var bid) ? bid : null;
        }
    }

    private void FailPending(Exception ex)
    {
        PendingBid[] all;
        lock (_pendingLock)
        {
            all = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var bid in all)
        {
            bid.Outcome.TrySetException(ex);
        }
    }

    private void RaiseMinNext(long? value)
    {
        if (value is not long v)
        {
            return;
        }

        var current = Interlocked.Read(ref _minNextBid);
        while (v > current)
        {
            var seen = Interlocked.CompareExchange(ref _minNextBid, v, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    // Sends on the current socket if there is one; a failure is left to the receive loop (which reconnects and re-sends bids).
    private async Task TrySendAsync(byte[] frame)
    {
        if (Volatile.Read(ref _socket) is not { State: WebSocketState.Open } socket)
        {
            return;
        }

        try
        {
            await SendAsync(socket, frame, _stop.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(ClientWebSocket socket, byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            socket.Abort();
        }
    }

    private sealed class PendingBid(byte[] frame)
    {
        public byte[] Frame { get; } = frame;

        public int Retries { get; set; }

        public long SentAt { get; set; }

        public TaskCompletionSource<BidResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class TransientAuthException(string code, string message) : Exception($"auth refused for now: {code}")
    {
        public RemateLiveClientException ToFinal() => new(code, message);
    }

    // One text message at a time into a growing buffer (bounded).
    private sealed class FrameBuffer
    {
        private byte[] _buffer = new byte[8192];
        private int _length;

        public ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, _length);

        public async Task<bool> ReadAsync(ClientWebSocket socket, CancellationToken cancellationToken)
        {
            _length = 0;
            while (true)
            {
                if (_length == _buffer.Length)
                {
                    if (_buffer.Length >= MaxFrameBytes)
                    {
                        throw new WebSocketException(WebSocketError.Faulted, "server message too large");
                    }

                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var r = await socket.ReceiveAsync(_buffer.AsMemory(_length), cancellationToken);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }

                _length += r.Count;
                if (r.EndOfMessage)
                {
                    return true;
                }
            }
        }
    }
}

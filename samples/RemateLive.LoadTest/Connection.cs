using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;

namespace RemateLive.LoadTest;

/// <summary>One bid as scheduled by the open-loop generator.</summary>
internal sealed class BidRecord
{
    public required int Auction { get; init; }
    public required int Bidder { get; init; }
    public required int K { get; init; }
    public required string Key { get; init; }
    public required long SchedTs { get; init; }
    public int Node { get; init; } // index into --url of the bidder's connection
    public long SentTs { get; set; }
    public long AckTs { get; set; }
    public long Seq { get; set; }
    public string? Code { get; set; } // null = accepted (bid_placed)
    public long Amount { get; set; }
}

/// <summary>One WebSocket connection of the generator: receive loop, seq tracking, and (for bidders) pending bids.</summary>
internal sealed class Connection : IDisposable
{
    private readonly LocalRun _run;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<bool> _authed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _pendingLock = new();
    private readonly List<BidRecord> _pending = [];
    private long _minNext;
    private long[] _recSeq = new long[16];
    private long[] _recTs = new long[16];

    public Connection(LocalRun run, int local, int global, int auction, string auctionId)
    {
        _run = run;
        Local = local;
        Global = global;
        Auction = auction;
        AuctionId = auctionId;
    }

    public int Local { get; }
    public int Global { get; }
    public int Auction { get; }
    public string AuctionId { get; }
    public ClientWebSocket? Socket { get; private set; }
    public Task ReceiveTask { get; private set; } = Task.CompletedTask;
    public long JoinVersion { get; private set; } = -1;
    public long LastSeq { get; private set; } = -1;
    public long LastSeqWasKeyed { get; private set; }
    public int RecordCount { get; private set; }
    public int Duplicates { get; private set; }
    public int EchoDuplicates { get; private set; }
    public bool Connected { get; private set; }
    public bool Disconnected { get; private set; }
    public int BidderIndex { get; set; } = -1;
    public long MinNext => Volatile.Read(ref _minNext);
    public ReadOnlySpan<long> RecSeq => _recSeq.AsSpan(0, RecordCount);
    public ReadOnlySpan<long> RecTs => _recTs.AsSpan(0, RecordCount);

    public int PendingCount
    {
        get
        {
            lock (_pendingLock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Connects, authenticates, waits for auth_ok. Returns connect+auth time in Stopwatch ticks, or -1.</summary>
    public async Task<long> ConnectAsync(HttpMessageInvoker invoker, Uri uri, string username, string displayName, TimeSpan timeout, CancellationToken stop)
    {
        long start = Stopwatch.GetTimestamp();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(timeout);
        var ws = new ClientWebSocket();
        ws.Options.HttpVersion = System.Net.HttpVersion.Version11;
        ws.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        ws.Options.CollectHttpResponseDetails = true; // the refusal's HTTP status goes into the error kind
        Socket = ws;
        try
        {
            await ws.ConnectAsync(uri, invoker, cts.Token);
            ReceiveTask = Task.Run(() => ReceiveLoopAsync(ws, stop), CancellationToken.None);
            await SendAsync(Protocol.Auth(username, displayName), cts.Token);
            await _authed.Task.WaitAsync(cts.Token);
            Connected = true;
            return Stopwatch.GetTimestamp() - start;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException or IOException or InvalidOperationException)
        {
            string status = ws.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols ? "_http" + (int)ws.HttpStatusCode : "";
            _run.Stats.Error(stop.IsCancellationRequested ? "connect_cancelled" : "connect_" + Short(ex) + status);
            ws.Abort();
            return -1;
        }
    }

    private static string Short(Exception ex) => ex switch
    {
        OperationCanceledException => "timeout",
        WebSocketException w => "ws_" + w.WebSocketErrorCode.ToString().ToLowerInvariant(),
        HttpRequestException => "http",
        InvalidOperationException => "auth_error",
        _ => ex.GetType().Name,
    };

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        var ws = Socket!;
        await _sendLock.WaitAsync(ct);
        try
        {
            await ws.SendAsync(frame, WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends one bid of the open-loop schedule; the pending entry is registered before the send.</summary>
    public async Task SendBidAsync(BidRecord bid, CancellationToken ct)
    {
        long amount = MinNext;
        if (amount <= 0)
        {
            amount = 1000;
        }
        bid.Amount = amount;
        lock (_pendingLock)
        {
            _pending.Add(bid);
        }
        bid.SentTs = Stopwatch.GetTimestamp();
        try
        {
            await SendAsync(Protocol.Bid(amount, bid.Key), ct);
            _run.Stats.BidSent();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            lock (_pendingLock)
            {
                _pending.Remove(bid);
            }
            bid.Code = "SEND_FAILED";
            _run.Stats.Error("bid_send_failed");
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket ws, CancellationToken stop)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        int filled = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= 4 * 1024 * 1024)
                    {
                        _run.Stats.Error("message_too_large");
                        break;
                    }
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var r = await ws.ReceiveAsync(buffer.AsMemory(filled), stop);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                filled += r.Count;
                if (!r.EndOfMessage)
                {
                    continue;
                }
                long ts = Stopwatch.GetTimestamp();
                _run.Stats.Message(filled);
                try
                {
                    Handle(buffer.AsSpan(0, filled), ts);
                }
                catch (System.Text.Json.JsonException)
                {
                    // Counted, sampled once, and the connection keeps reading (like the server does for clients).
                    _run.Stats.Error("bad_json");
                    _run.Stats.SampleBadFrame(buffer.AsSpan(0, Math.Min(filled, 600)));
                }
                filled = 0;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            if (!stop.IsCancellationRequested)
            {
                _run.Stats.Error("receive_" + Short(ex));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _authed.TrySetException(new InvalidOperationException("closed before auth_ok"));
        if (!stop.IsCancellationRequested && Connected)
        {
            Disconnected = true;
            _run.Stats.Error("disconnected_by_server:" + (ws.CloseStatus?.ToString() ?? "none"));
        }
    }

    private void Handle(ReadOnlySpan<byte> frame, long ts)
    {
        var msg = Protocol.Parse(frame);
        switch (msg.Type)
        {
            case MsgType.Presence:
                _run.Stats.Presence();
                break;
            case MsgType.Ping:
                _run.Stats.Ping();
                _ = PongAsync();
                break;
            case MsgType.AuthOk:
                JoinVersion = msg.Version;
                LastSeq = msg.Version;
                RaiseMinNext(msg.MinNextBid > 0 ? msg.MinNextBid : msg.CurrentPrice + 100);
                _authed.TrySetResult(true);
                break;
            case MsgType.AuthError:
                _run.Stats.Error("auth_error:" + (msg.Code ?? "?"));
                _authed.TrySetException(new InvalidOperationException("auth_error " + msg.Code));
                break;
            case MsgType.BidPlaced:
                RaiseMinNext(msg.MinNextBid);
                if (msg.IdempotencyKey is not null && BidderIndex >= 0)
                {
                    var bid = TakePending(msg.IdempotencyKey);
                    if (bid is not null)
                    {
                        bid.AckTs = ts;
                        bid.Seq = msg.Seq > 0 ? msg.Seq : msg.Version;
                        _run.Stats.Ack(bid, accepted: true);
                    }
                }
                RecordSeq(msg.Seq > 0 ? msg.Seq : msg.Version, ts, msg.IdempotencyKey is not null);
                break;
            case MsgType.BidError:
                RaiseMinNext(msg.MinNextBid);
                if (BidderIndex >= 0)
                {
                    var bid = TakePending(msg.IdempotencyKey);
                    if (bid is not null)
                    {
                        bid.AckTs = ts;
                        bid.Code = msg.Code ?? "UNKNOWN";
                        _run.Stats.Ack(bid, accepted: false);
                    }
                }
                break;
            case MsgType.SeqEvent:
                if (msg.Seq > 0)
                {
                    RecordSeq(msg.Seq, ts, false);
                }
                break;
            case MsgType.Error:
                _run.Stats.Error("server_error:" + (msg.Code ?? "?"));
                break;
            default:
                _run.Stats.Other();
                break;
        }
    }

    private void RaiseMinNext(long value)
    {
        long cur = Volatile.Read(ref _minNext);
        while (value > cur)
        {
            long seen = Interlocked.CompareExchange(ref _minNext, value, cur);
            if (seen == cur)
            {
                return;
            }
            cur = seen;
        }
    }

    private BidRecord? TakePending(string? key)
    {
        lock (_pendingLock)
        {
            if (_pending.Count == 0)
            {
                return null;
            }
            int idx = key is null ? 0 : _pending.FindIndex(b => b.Key == key);
            if (idx < 0)
            {
                return null;
            }
            var bid = _pending[idx];
            _pending.RemoveAt(idx);
            return bid;
        }
    }

    private void RecordSeq(long seq, long ts, bool keyed)
    {
        if (seq <= 0)
        {
            return;
        }
        if (seq <= LastSeq)
        {
            // A bidder may get its own bid twice (keyed ack + room broadcast): not a duplicate delivery.
            if (seq == LastSeq && BidderIndex >= 0 && (keyed || LastSeqWasKeyed == 1))
            {
                EchoDuplicates++;
            }
            else
            {
                Duplicates++;
                _run.Stats.Duplicate();
            }
            return;
        }
        LastSeq = seq;
        LastSeqWasKeyed = keyed ? 1 : 0;
        if (RecordCount == _recSeq.Length)
        {
            Array.Resize(ref _recSeq, RecordCount * 2);
            Array.Resize(ref _recTs, RecordCount * 2);
        }
        _recSeq[RecordCount] = seq;
        _recTs[RecordCount] = ts;
        RecordCount++;
        _run.Stats.Delivery();
    }

    private async Task PongAsync()
    {
        try
        {
            await SendAsync(Protocol.Pong, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            _run.Stats.Error("pong_failed");
        }
    }

    public void Dispose() => _sendLock.Dispose();

    public async Task CloseAsync(TimeSpan timeout)
    {
        var ws = Socket;
        if (ws is null)
        {
            return;
        }
        try
        {
            if (ws.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(timeout);
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            ws.Abort();
            ws.Dispose();
        }
    }
}

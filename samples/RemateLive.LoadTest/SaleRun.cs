using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;

namespace RemateLive.LoadTest;

/// <summary>
/// <c>--sale</c>: N sockets follow one live sale on <c>/ws/sales/{id}</c>; B of them bid online at the asking
/// price they last saw, open loop at <c>--rate</c> (bid k of the run is scheduled at t0 + k/rate, whatever the
/// server does); an auctioneer (admin, REST) opens a lot, jumps its asking price once half-way and knocks it
/// down (or passes it) every <c>--lot-seconds</c>. Latencies from the scheduled send time: bid → the bidder's
/// <c>bid_ok</c>/<c>bid_error</c> (ack), and bid → every socket's <c>bid_placed</c> of that bid (matched by the
/// seq in <c>bid_ok</c>): the last receiver per bid and every receiver. One process, one node, loopback only.
/// </summary>
internal sealed class SaleRun(Options o)
{
    private readonly ConcurrentDictionary<long, List<long>> _receipts = new(); // seq of a bid_placed → receive timestamps
    private readonly ConcurrentDictionary<long, long> _acceptedAt = new();    // seq of an accepted online bid → scheduled timestamp
    private readonly ConcurrentBag<double> _ackMs = [];
    private readonly ConcurrentDictionary<string, int> _rejections = new();
    private int _auctioneerActions;
    private int _skipped; // bids due while no lot was on offer (between a hammer and the next lot)
    private int _auctioneerRefusals;

    public async Task<int> RunAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = o.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        var admin = await LoginAsync(http, "admin", o.AdminPassword);
        var lotCount = Math.Min(1_000, (int)Math.Ceiling(o.Duration / o.LotSeconds) + 3);
        var sale = await PostAsync(http, admin, "api/sales", new
        {
            title = $"Load test sale {o.RunId}",
            currency = "USD",
            increment = new { kind = "fixed", amount_cents = 100 },
            lots = Enumerable.Range(1, lotCount).Select(i => new { title = $"Lot {i}", starting_price_cents = 1_000 }).ToArray(),
        });
        var saleId = sale.GetProperty("id").GetString()!;
        await PostAsync(http, admin, $"api/sales/{saleId}/auctioneer", new { action = "open_lot" });
        Console.Error.WriteLine($"created sale {saleId} ({lotCount} lots); lot 1 open");

        // Ramp-up: one user per socket (a token from POST /api/auth/login), then connect + auth → auth_ok.
        var sockets = new SaleSocket[o.Connections];
        var failed = 0;
        var connectMs = new ConcurrentBag<double>();
        var ramp = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(o.ConnectParallelism))
        using (var rampTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.RampTimeout)))
        {
            await Task.WhenAll(Enumerable.Range(0, o.Connections).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var token = await LoginAsync(http, o.Username(i), null);
                    var started = Stopwatch.GetTimestamp();
                    var socket = new SaleSocket(this, i < o.Bidders);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(rampTimeout.Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(o.ConnectTimeout));
                    try
                    {
                        await socket.ConnectAsync(new UriBuilder(o.Url) { Scheme = "ws", Path = $"/ws/sales/{saleId}" }.Uri, token, timeout.Token);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }

                    connectMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    sockets[i] = socket;
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException or InvalidOperationException or JsonException)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var live = sockets.Where(s => s is not null).ToArray();
        var bidders = live.Where(s => s.IsBidder).ToArray();
        Console.Error.WriteLine($"connected {live.Length}/{o.Connections} in {ramp.Elapsed.TotalSeconds:F1} s ({failed} failed); {bidders.Length} bidders");

        // Bidding (open loop) with the auctioneer running the rostrum meanwhile.
        var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        var total = (int)Math.Floor(o.Duration * o.Rate);
        using var stop = new CancellationTokenSource();
        var rostrum = AuctioneerAsync(http, admin, saleId, stop.Token);
        var scheduled = 0;
        if (bidders.Length > 0)
        {
            for (var k = 0; k < total; k++)
            {
                var at = t0 + (long)(k / o.Rate * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                _ = bidders[k % bidders.Length].BidAsync(at);
                scheduled++;
            }
        }

        await stop.CancelAsync();
        await rostrum;

        // Drain: every bid answered and every socket holding every accepted bid, or the drain time is up.
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed.TotalSeconds < o.Drain
               && (bidders.Sum(b => b.Outstanding) > 0 || _acceptedAt.Keys.Any(seq => Received(seq) < live.Count(s => !s.Dropped))))
        {
            await Task.Delay(50);
        }

        var unanswered = bidders.Sum(b => b.Outstanding);
        var dropped = live.Count(s => s.Dropped);
        await Task.WhenAll(live.Select(s => s.CloseAsync()));
        return Report(live.Length, failed, dropped, scheduled, unanswered, connectMs.ToArray());
    }

    private int Received(long seq)
    {
        if (!_receipts.TryGetValue(seq, out var times))
        {
            return 0;
        }

        lock (times)
        {
            return times.Count;
        }
    }

    private int Report(int connected, int failed, int dropped, int scheduled, int unanswered, double[] connectMs)
    {
        var last = new List<double>();
        var all = new List<double>();
        long lost = 0;
        var open = connected - dropped;
        foreach (var (seq, at) in _acceptedAt)
        {
            var times = _receipts.TryGetValue(seq, out var t) ? t : [];
            lock (times)
            {
                lost += Math.Max(0, open - times.Count);
                if (times.Count > 0)
                {
                    all.AddRange(times.Select(r => Ms(at, r)));
                    last.Add(Ms(at, times.Max()));
                }
            }
        }

        var accepted = _acceptedAt.Count;
        var acked = _ackMs.Count;
        var ack = _ackMs.ToArray();
        var passed = connected == o.Connections && dropped == 0 && unanswered == 0 && lost == 0 && accepted > 0;
        Console.WriteLine();
        Console.WriteLine($"Live sale, {connected} sockets ({o.Bidders} bidders), {o.Rate} bids/s for {o.Duration} s, lot every {o.LotSeconds} s");
        Console.WriteLine("| measure | count | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row("connect + auth", connectMs);
        Row("bid → ack (bid_ok / bid_error)", ack);
        Row("bid → last socket", [.. last]);
        Row("bid → every socket", [.. all]);
        Console.WriteLine($"bids: scheduled {scheduled} (not sent, no lot on offer: {_skipped}), accepted {accepted}, rejected {acked - accepted} ({string.Join(", ", _rejections.Select(r => $"{r.Key} {r.Value}"))}), unanswered {unanswered}; " +
                          $"auctioneer actions {_auctioneerActions} (refused {_auctioneerRefusals}); sockets failed {failed}, dropped {dropped}; lost {lost}");
        if (o.SummaryLine)
        {
            Console.WriteLine(string.Join(' ',
                "SUMMARY", "mode=sale",
                $"connected={connected}", $"requested={o.Connections}", $"failed={failed}", $"dropped={dropped}",
                $"scheduled={scheduled}", $"skipped={_skipped}", $"acked={acked}", $"accepted={accepted}", $"rejected={acked - accepted}", $"unanswered={unanswered}",
                $"ack_p50={P(ack, 50)}", $"ack_p99={P(ack, 99)}",
                $"last_p50={P([.. last], 50)}", $"last_p99={P([.. last], 99)}", $"last_max={P([.. last], 100)}",
                $"all_p50={P([.. all], 50)}", $"all_p99={P([.. all], 99)}",
                $"connect_p50={P(connectMs, 50)}", $"connect_p99={P(connectMs, 99)}",
                $"lost={lost}", $"auctioneer_actions={_auctioneerActions}", $"passed={(passed ? 1 : 0)}"));
        }

        return passed || !o.FailOnLoss ? 0 : 2;

        static void Row(string name, double[] values) =>
            Console.WriteLine($"| {name} | {values.Length} | {P(values, 50)} | {P(values, 99)} | {P(values, 100)} |");
    }

    private static double Ms(long from, long to) => Math.Max(0, (to - from) * 1000.0 / Stopwatch.Frequency);

    // Nearest-rank percentile, "na" when empty.
    private static string P(double[] values, double percentile)
    {
        if (values.Length == 0)
        {
            return "na";
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)].ToString("F2", CultureInfo.InvariantCulture);
    }

    // Every lot: open (done before), jump the asking price half-way, then sell to the leading bid or pass, and open the next.
    private async Task AuctioneerAsync(HttpClient http, string admin, string saleId, CancellationToken ct)
    {
        var half = TimeSpan.FromSeconds(o.LotSeconds / 2);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(half, ct);
                var state = await ActAsync(http, admin, saleId, new { action = "fair_warning" });
                var asking = state is { } s ? CurrentLot(s)?.GetProperty("asking_price_cents").GetInt64() : null;
                if (asking is { } a)
                {
                    await ActAsync(http, admin, saleId, new { action = "set_asking", amount_cents = a + 500 });
                }

                await Task.Delay(half, ct);
                var now = await ActAsync(http, admin, saleId, new { action = "sold" }) ?? await ActAsync(http, admin, saleId, new { action = "pass" });
                if (now is not null)
                {
                    await ActAsync(http, admin, saleId, new { action = "open_lot" });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static JsonElement? CurrentLot(JsonElement sale) =>
        sale.GetProperty("current_lot_id").GetString() is { } id
            ? sale.GetProperty("lots").EnumerateArray().FirstOrDefault(l => l.GetProperty("id").GetString() == id)
            : null;

    private async Task<JsonElement?> ActAsync(HttpClient http, string admin, string saleId, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/sales/{saleId}/auctioneer") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _auctioneerRefusals); // e.g. NO_LEADING_BID: then the lot is passed
            return null;
        }

        Interlocked.Increment(ref _auctioneerActions);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> LoginAsync(HttpClient http, string username, string? password)
    {
        using var response = await http.PostAsJsonAsync("api/auth/login", new Dictionary<string, string?> { ["username"] = username, ["display_name"] = username, ["password"] = password });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/auth/login as {username}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("token").GetString() ?? throw new InvalidOperationException("login returned no token");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string token, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /{path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>One socket on the sale: records every bid_placed; a bidder also bids and matches its answers in order.</summary>
    private sealed class SaleSocket(SaleRun run, bool isBidder) : IDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly Queue<long> _pending = new(); // scheduled timestamps of bids not answered yet (answers come in order)
        private readonly SemaphoreSlim _send = new(1, 1);
        private string? _lot;
        private long _asking;
        private Task _reader = Task.CompletedTask;

        public bool IsBidder { get; } = isBidder;

        public bool Dropped { get; private set; }

        public int Outstanding
        {
            get
            {
                lock (_pending)
                {
                    return _pending.Count;
                }
            }
        }

        public async Task ConnectAsync(Uri uri, string token, CancellationToken ct)
        {
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await _socket.ConnectAsync(uri, ct);
            var authOk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _reader = ReadAsync(authOk);
            await SendAsync(new { type = "auth", token });
            await authOk.Task.WaitAsync(ct);
        }

        public async Task BidAsync(long scheduledAt)
        {
            string? lot;
            long asking;
            lock (_pending)
            {
                (lot, asking) = (_lot, _asking);
                if (lot is null)
                {
                    Interlocked.Increment(ref run._skipped);
                    return;
                }

                _pending.Enqueue(scheduledAt);
            }

            try
            {
                await SendAsync(new { type = "bid", lot_id = lot, amount_cents = asking });
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                Dropped = true;
            }
        }

        public async Task CloseAsync()
        {
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Dispose();
        }

        public void Dispose()
        {
            _socket.Dispose();
            _send.Dispose();
        }

        private async Task SendAsync(object message)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
            await _send.WaitAsync();
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task ReadAsync(TaskCompletionSource authOk)
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

                    var now = Stopwatch.GetTimestamp();
                    using var doc = JsonDocument.Parse(message.ToArray());
                    message.SetLength(0);
                    await OnMessageAsync(doc.RootElement, now, authOk);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or JsonException)
            {
            }
            finally
            {
                Dropped |= _socket.CloseStatus is null or not WebSocketCloseStatus.NormalClosure;
                authOk.TrySetException(new InvalidOperationException($"closed before auth_ok ({_socket.CloseStatus} {_socket.CloseStatusDescription})"));
            }
        }

        private async Task OnMessageAsync(JsonElement root, long now, TaskCompletionSource authOk)
        {
            var type = root.GetProperty("type").GetString();
            var p = root.TryGetProperty("payload", out var payload) ? payload : root;
            switch (type)
            {
                case "auth_ok":
                    if (CurrentLot(p.GetProperty("sale")) is { } open)
                    {
                        Follow(open.GetProperty("id").GetString(), open.GetProperty("asking_price_cents"));
                    }

                    authOk.TrySetResult();
                    break;
                case "auth_error":
                    authOk.TrySetException(new InvalidOperationException("auth_error: " + p.GetProperty("code").GetString()));
                    break;
                case "ping":
                    await SendAsync(new { type = "pong" });
                    break;
                case "lot_opened" or "asking_price":
                    Follow(p.GetProperty("lot_id").GetString(), p.GetProperty("asking_price_cents"));
                    break;
                case "lot_sold" or "lot_passed" or "lot_withdrawn" or "sale_ended":
                    lock (_pending)
                    {
                        _lot = null;
                    }

                    break;
                case "bid_placed":
                    var times = run._receipts.GetOrAdd(p.GetProperty("seq").GetInt64(), static _ => []);
                    lock (times)
                    {
                        times.Add(now);
                    }

                    Follow(p.GetProperty("lot_id").GetString(), p.GetProperty("asking_price_cents"));
                    break;
                case "bid_ok" or "bid_error" when IsBidder:
                    long at;
                    lock (_pending)
                    {
                        if (!_pending.TryDequeue(out at))
                        {
                            break;
                        }
                    }

                    run._ackMs.Add(Ms(at, now));
                    if (type == "bid_ok")
                    {
                        run._acceptedAt[p.GetProperty("seq").GetInt64()] = at;
                    }
                    else
                    {
                        run._rejections.AddOrUpdate(p.TryGetProperty("code", out var code) ? code.GetString() ?? "?" : "?", 1, (_, n) => n + 1);
                        if (p.TryGetProperty("asking_price_cents", out var asking) && asking.ValueKind == JsonValueKind.Number)
                        {
                            Follow(p.TryGetProperty("lot_id", out var lot) ? lot.GetString() : _lot, asking);
                        }
                    }

                    break;
            }
        }

        private void Follow(string? lot, JsonElement asking)
        {
            if (asking.ValueKind != JsonValueKind.Number)
            {
                return;
            }

            lock (_pending)
            {
                (_lot, _asking) = (lot, asking.GetInt64());
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RemateLive.Client;

namespace RemateLive.LoadTest;

/// <summary>
/// <c>--reconnect</c>: the resilience run behind scripts/chaos.sh. Every socket is a <see cref="RemateLiveClient"/>
/// (reconnect with back-off + jitter, resume by seq, bids retried by idempotency key across reconnects), so a fault
/// shows up as per-client recovery times instead of dropped sockets. Measures, per disconnect, the time until the
/// client is resumed and served again (its first event or bid outcome after the resume), and checks every client's
/// history against the store: exactly the store's seqs after its join, in order, none twice.
/// </summary>
internal sealed class ResilientRun(Options o, IReadOnlyList<string> auctionIds, Api api)
{
    private readonly List<Member> _members = [];
    private readonly List<BidRecord> _bids = [];
    private long _t0;

    public async Task<int> RunAsync()
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(o.ConnectTimeout),
            ConnectCallback = LocalRun.ConnectLoopbackAsync,
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(10) };
        using var stop = new CancellationTokenSource();

        // Ramp-up: one client per connection, bounded parallelism.
        var members = Enumerable.Range(0, o.Connections).Select(g => new Member(g, g % o.Auctions, g < o.Bidders)).ToList();
        int failed = 0;
        var connectErrors = new List<string>();
        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = o.ConnectParallelism }, async (m, ct) =>
        {
            // Like any client app, the first connection is retried (3 attempts); every failed attempt is reported.
            for (int attempt = 1; attempt <= 3; attempt++)
            {
                var error = await TryConnectAsync(m, invoker, http, stop.Token);
                if (error is null)
                {
                    return;
                }

                lock (connectErrors)
                {
                    connectErrors.Add($"client {m.Global} attempt {attempt}: {error}");
                }

                Console.Error.WriteLine($"connect {m.Global} (attempt {attempt}): {error}");
                await Task.Delay(500, ct);
            }

            Interlocked.Increment(ref failed);
        });

        _t0 = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 5);
        if (o.ReadyFile is not null)
        {
            await File.WriteAllTextAsync(o.ReadyFile, "bidding\n");
        }

        var bidTasks = await BidPhaseAsync();
        var drainUntil = Stopwatch.GetTimestamp() + (long)(o.Drain * Stopwatch.Frequency);
        await Task.WhenAll(bidTasks);

        // Every client must reach the store's last seq (through its resume) before the check.
        var storeSeqs = new List<long>[auctionIds.Count];
        while (true)
        {
            for (int a = 0; a < auctionIds.Count; a++)
            {
                storeSeqs[a] = await api.EventSeqsAsync(auctionIds[a]);
            }

            bool behind = _members.Any(m => m.Client.LastSeq < (storeSeqs[m.Auction].Count == 0 ? 0 : storeSeqs[m.Auction][^1]));
            if (!behind || Stopwatch.GetTimestamp() > drainUntil)
            {
                break;
            }

            await Task.Delay(200);
        }

        await stop.CancelAsync();
        foreach (var m in _members)
        {
            await m.StopAsync();
        }

        var result = Build(storeSeqs, failed);
        result.ConnectErrors = connectErrors;
        if (o.VerifyStore)
        {
            var accepted = _bids.Where(b => b.AckTs != 0 && b.Code is null && b.Seq > 0)
                .Select(b => new BidOut(b.Auction, b.Bidder, b.K, 0, 0, 0, b.Seq, "ACCEPTED", b.Amount));
            result.Store = await api.VerifyAsync(auctionIds, accepted);
        }

        result.Passed = result.Failures.Count == 0 && (result.Store is null || (result.Store.MissingInBids == 0 && result.Store.MissingInEvents == 0));
        Console.Out.Write(Table(result));
        if (o.SummaryLine)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SUMMARY mode=reconnect connected={result.Connected} accepted={result.BidsAccepted} unanswered={result.BidsUnanswered} disconnects={result.Disconnects} unrecovered={result.Unrecovered} recovery_max_s={result.RecoveryMaxSeconds:F2} history_missing={result.HistoryMissing} history_duplicates={result.HistoryDuplicates} passed={result.Passed}"));
        }

        if (o.Out is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Out))!);
            await File.WriteAllTextAsync(o.Out, JsonSerializer.Serialize(result, Json.Options));
        }

        return result.Passed ? 0 : 2;
    }

    private async Task<string?> TryConnectAsync(Member m, HttpMessageInvoker invoker, HttpClient http, CancellationToken stop)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(o.ConnectTimeout));
            var client = await RemateLiveClient.ConnectAsync(
                new RemateLiveClientOptions
                {
                    BaseAddress = o.HttpBase,
                    Username = o.Username(m.Global),
                    DisplayName = $"LT {m.Global}",
                    WebSocketInvoker = invoker,
                    HttpClient = http,
                    ConfigureWebSocket = ws => ws.HttpVersion = System.Net.HttpVersion.Version11,
                },
                auctionIds[m.Auction],
                cancellationToken: timeout.Token);
            m.Start(client, stop);
            lock (_members)
            {
                _members.Add(m);
            }

            return null;
        }
        catch (Exception ex) when (ex is RemateLiveClientException or System.Net.WebSockets.WebSocketException or OperationCanceledException or HttpRequestException)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    // Open loop, as LocalRun: bid k of bidder b at t0 + (k·B + b)/rate, whatever the server (or the network) does.
    // A bid scheduled while its client is disconnected waits in the client and is sent on the resume.
    private async Task<List<Task>> BidPhaseAsync()
    {
        var bidders = _members.Where(m => m.Bidder).ToList();
        long end = _t0 + (long)(o.Duration * Stopwatch.Frequency);
        var outcome = TimeSpan.FromSeconds(o.Duration + o.Drain);
        var all = new List<Task>();
        var loops = bidders.Select(m => Task.Run(async () =>
        {
            for (int k = 0; ; k++)
            {
                double offset = ((k * (double)o.Bidders) + m.Global) / o.Rate;
                long sched = _t0 + (long)(offset * Stopwatch.Frequency);
                if (sched >= end)
                {
                    break;
                }

                long wait = sched - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
                }

                var bid = new BidRecord { Auction = m.Auction, Bidder = m.Global, K = k, Key = $"{o.RunId}-{m.Global}-{k}", SchedTs = sched, SentTs = Stopwatch.GetTimestamp() };
                bid.Amount = Math.Max(m.Client.MinNextBidCents, 1000);
                lock (_bids)
                {
                    _bids.Add(bid);
                    all.Add(PlaceAsync(m, bid, outcome));
                }
            }
        })).ToList();
        await Task.WhenAll(loops);
        lock (_bids)
        {
            return [.. all];
        }
    }

    private static async Task PlaceAsync(Member m, BidRecord bid, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var r = await m.Client.PlaceBidAsync(bid.Amount, idempotencyKey: bid.Key, cancellationToken: cts.Token);
            bid.AckTs = Stopwatch.GetTimestamp();
            bid.Seq = r.Bid?.Seq ?? 0;
            bid.Code = r.Accepted ? null : r.ErrorCode ?? "UNKNOWN";
            m.Served(bid.AckTs);
        }
        catch (OperationCanceledException)
        {
            bid.Code = "NO_OUTCOME";
        }
        catch (RemateLiveClientException ex)
        {
            bid.Code = "CLIENT_" + ex.Code;
        }
    }

    private ResilientResult Build(List<long>[] storeSeqs, int failed)
    {
        double S(long ticks) => ticks / (double)Stopwatch.Frequency;
        var r = new ResilientResult
        {
            AuctionIds = [.. auctionIds],
            DurationSeconds = o.Duration,
            Connections = o.Connections,
            Connected = _members.Count,
            ConnectFailed = failed,
        };
        if (failed > 0)
        {
            r.Failures.Add($"{failed} clients could not connect");
        }

        foreach (var b in _bids)
        {
            r.BidsScheduled++;
            if (b.Code == "NO_OUTCOME" || b.AckTs == 0)
            {
                r.BidsUnanswered++;
                r.UnansweredKeys.Add(b.Key);
                continue;
            }

            if (b.Code is null)
            {
                r.BidsAccepted++;
            }
            else
            {
                r.Refused[b.Code] = r.Refused.GetValueOrDefault(b.Code) + 1;
            }

            r.AckTimeline.Add([Math.Round(S(b.SchedTs - _t0), 4), Math.Round(S(b.AckTs - b.SchedTs) * 1000, 3), b.Code is null ? 1 : 0]);
        }

        if (r.BidsUnanswered > 0)
        {
            r.Failures.Add($"{r.BidsUnanswered} bids without an outcome");
        }

        var recoveries = new List<double>();
        foreach (var m in _members)
        {
            var store = storeSeqs[m.Auction];
            var expected = store.Where(s => s > m.JoinVersion).ToList();
            var seen = m.Seqs;
            int dups = seen.Count - seen.Distinct().Count();
            int missing = expected.Except(seen).Count();
            int unknown = seen.Except(store).Count();
            bool ordered = seen.Zip(seen.Skip(1)).All(p => p.First < p.Second);
            r.HistoryDuplicates += dups;
            r.HistoryMissing += missing;
            if (dups > 0 || missing > 0 || unknown > 0 || !ordered)
            {
                r.ClientsMismatched++;
                if (r.ClientsMismatched <= 5)
                {
                    r.Failures.Add($"client {m.Global}: history differs from the store (missing {missing}, duplicates {dups}, unknown {unknown}, ordered {ordered})");
                }
            }

            foreach (var e in m.Episodes)
            {
                r.Disconnects++;
                if (e.ConnectedTs == 0)
                {
                    r.Unrecovered++;
                    continue;
                }

                var back = e.ServedTs != 0 ? e.ServedTs : e.ConnectedTs;
                var seconds = S(back - e.DownTs);
                recoveries.Add(seconds);
                r.Recoveries.Add([m.Global, Math.Round(S(e.DownTs - _t0), 3), Math.Round(seconds, 3)]);
            }
        }

        if (r.Unrecovered > 0)
        {
            r.Failures.Add($"{r.Unrecovered} disconnects never resumed");
        }

        r.ClientsDisconnected = _members.Count(m => m.Episodes.Count > 0);
        r.RecoveryMaxSeconds = recoveries.Count == 0 ? 0 : recoveries.Max();
        r.RecoveryMedianSeconds = recoveries.Count == 0 ? 0 : recoveries.Order().ElementAt(recoveries.Count / 2);
        return r;
    }

    private static string Table(ResilientResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"RemateLive.LoadTest --reconnect — auctions {string.Join(',', r.AuctionIds)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  clients: {r.Connected}/{r.Connections} connected; {r.ClientsDisconnected} dropped ({r.Disconnects} disconnects), {r.Unrecovered} never resumed; recovery median {r.RecoveryMedianSeconds:F2} s, max {r.RecoveryMaxSeconds:F2} s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  bids: {r.BidsScheduled} scheduled, {r.BidsAccepted} accepted, refused {string.Join(' ', r.Refused.Select(kv => $"{kv.Key}={kv.Value}"))}, {r.BidsUnanswered} without outcome");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  histories vs store: {r.ClientsMismatched} clients differ (missing {r.HistoryMissing}, duplicates {r.HistoryDuplicates})");
        if (r.Store is { } st)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  store: acked accepted missing in /bids {st.MissingInBids}, in /events {st.MissingInEvents}");
        }

        foreach (var f in r.Failures)
        {
            sb.AppendLine("  FAIL " + f);
        }

        sb.AppendLine(r.Passed ? "  PASSED" : "  FAILED");
        return sb.ToString();
    }

    /// <summary>One client: what it delivered to the application and each disconnect → resume → served episode.</summary>
    private sealed class Member(int global, int auction, bool bidder)
    {
        private readonly Lock _lock = new();
        private Task _reader = Task.CompletedTask;

        public int Global { get; } = global;

        public int Auction { get; } = auction;

        public bool Bidder { get; } = bidder;

        public RemateLiveClient Client { get; private set; } = null!;

        public long JoinVersion { get; private set; }

        public List<long> Seqs { get; } = [];

        public List<Episode> Episodes { get; } = [];

        public void Start(RemateLiveClient client, CancellationToken stop)
        {
            Client = client;
            JoinVersion = client.Auction?.Version ?? 0;
            _reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in client.ReadEventsAsync(stop))
                    {
                        var now = Stopwatch.GetTimestamp();
                        lock (_lock)
                        {
                            switch (e)
                            {
                                case Disconnected:
                                    Episodes.Add(new Episode { DownTs = now });
                                    break;
                                case Connected { Resumed: true } when Episodes.Count > 0:
                                    Episodes[^1].ConnectedTs = now;
                                    break;
                                case SequencedEvent s:
                                    Seqs.Add(s.Seq);
                                    ServedLocked(now);
                                    break;
                            }
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (RemateLiveClientException ex)
                {
                    Console.Error.WriteLine($"client {Global} gave up: {ex.Message}");
                }
            }, CancellationToken.None);
        }

        public void Served(long ts)
        {
            lock (_lock)
            {
                ServedLocked(ts);
            }
        }

        public async Task StopAsync()
        {
            await _reader;
            await Client.DisposeAsync();
        }

        private void ServedLocked(long ts)
        {
            if (Episodes.Count > 0 && Episodes[^1] is { ConnectedTs: > 0, ServedTs: 0 } e && ts >= e.ConnectedTs)
            {
                e.ServedTs = ts;
            }
        }
    }

    private sealed class Episode
    {
        public long DownTs { get; set; }

        public long ConnectedTs { get; set; }

        public long ServedTs { get; set; }
    }
}

/// <summary>The JSON of a <c>--reconnect</c> run (scripts/chaos.sh reads it).</summary>
internal sealed class ResilientResult
{
    public string Mode { get; set; } = "reconnect";
    public List<string> AuctionIds { get; set; } = [];
    public double DurationSeconds { get; set; }
    public int Connections { get; set; }
    public int Connected { get; set; }
    public int ConnectFailed { get; set; }
    public long BidsScheduled { get; set; }
    public long BidsAccepted { get; set; }
    public long BidsUnanswered { get; set; }
    public Dictionary<string, long> Refused { get; set; } = [];
    public List<string> UnansweredKeys { get; set; } = [];
    public List<string> ConnectErrors { get; set; } = [];
    public int ClientsDisconnected { get; set; }
    public int Disconnects { get; set; }
    public int Unrecovered { get; set; }
    public double RecoveryMaxSeconds { get; set; }
    public double RecoveryMedianSeconds { get; set; }
    public List<double[]> Recoveries { get; set; } = [];          // [client, disconnected at (s since t0), recovery s]
    public int ClientsMismatched { get; set; }
    public long HistoryMissing { get; set; }
    public long HistoryDuplicates { get; set; }
    public List<double[]> AckTimeline { get; set; } = [];         // [sched s since t0, ack ms, accepted 1/0]
    public StoreCheck? Store { get; set; }
    public List<string> Failures { get; set; } = [];
    public bool Passed { get; set; }
}

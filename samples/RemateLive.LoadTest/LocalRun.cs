using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HdrHistogram;

namespace RemateLive.LoadTest;

/// <summary>Process-wide counters, updated from every receive loop.</summary>
internal sealed class Stats
{
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly Lock _ackLock = new();
    private readonly LongHistogram _intervalAck = Hist.New();
    private long _messages, _bytes, _presence, _pings, _other, _duplicates, _deliveries, _bidsSent, _acks, _accepted;

    public long Messages => Interlocked.Read(ref _messages);
    public long Bytes => Interlocked.Read(ref _bytes);
    public long PresenceCount => Interlocked.Read(ref _presence);
    public long Pings => Interlocked.Read(ref _pings);
    public long OtherCount => Interlocked.Read(ref _other);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Deliveries => Interlocked.Read(ref _deliveries);
    public long BidsSent => Interlocked.Read(ref _bidsSent);
    public long Acks => Interlocked.Read(ref _acks);
    public long Accepted => Interlocked.Read(ref _accepted);
    public IReadOnlyDictionary<string, long> Errors => _errors;
    public long ErrorCount => _errors.Values.Sum();

    public void Message(int bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Presence() => Interlocked.Increment(ref _presence);
    public void Ping() => Interlocked.Increment(ref _pings);
    public void Other() => Interlocked.Increment(ref _other);
    public void Duplicate() => Interlocked.Increment(ref _duplicates);
    public void Delivery() => Interlocked.Increment(ref _deliveries);
    public void BidSent() => Interlocked.Increment(ref _bidsSent);
    public void Error(string kind) => _errors.AddOrUpdate(kind, 1, (_, v) => v + 1);

    private int _badFrameSampled;

    public void SampleBadFrame(ReadOnlySpan<byte> frame)
    {
        if (Interlocked.Exchange(ref _badFrameSampled, 1) == 0)
        {
            Console.Error.WriteLine("unparseable frame (first one shown): " + System.Text.Encoding.UTF8.GetString(frame));
        }
    }

    public void Ack(BidRecord bid, bool accepted)
    {
        Interlocked.Increment(ref _acks);
        if (accepted)
        {
            Interlocked.Increment(ref _accepted);
        }
        long us = Math.Clamp(Hist.ToUs(bid.AckTs - bid.SchedTs), 0, Hist.Highest);
        lock (_ackLock)
        {
            _intervalAck.RecordValue(us);
        }
    }

    /// <summary>p99 (ms) of acks since the previous call, then reset.</summary>
    public double TakeIntervalAckP99()
    {
        lock (_ackLock)
        {
            double p99 = _intervalAck.TotalCount == 0 ? double.NaN : _intervalAck.GetValueAtPercentile(99) / 1000.0;
            _intervalAck.Reset();
            return p99;
        }
    }
}

/// <summary>Everything one process does: ramp up its share of connections, bid on the open-loop schedule, drain, report.</summary>
internal sealed class LocalRun
{
    private readonly Options _o;
    private readonly IReadOnlyList<string> _auctionIds;
    private readonly List<Connection> _conns = [];
    private readonly List<BidRecord> _bids = [];
    private readonly LongHistogram _connectHist = Hist.New();
    private readonly List<double[]> _progress = [];
    private readonly Lock _connectLock = new();
    private int _connected, _connectFailed;
    private long _t0;
    private volatile string _phase = "ramp";

    public LocalRun(Options o, IReadOnlyList<string> auctionIds)
    {
        _o = o;
        _auctionIds = auctionIds;
    }

    public Stats Stats { get; } = new();

    /// <param name="rssPid">server pid to sample around the ramp-up (null: not measured here).</param>
    /// <param name="goSignal">child mode: report READY and wait for the parent's t0; null: start right away.</param>
    public async Task<PartialResult> RunAsync(int? rssPid, Func<Task<long>>? goSignal)
    {
        var result = new PartialResult { ProcessIndex = _o.ProcessIndex };
        result.RssBeforeKb = rssPid is int p1 ? Rss.ReadKb(p1) : null;

        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = int.MaxValue,
            ConnectTimeout = TimeSpan.FromSeconds(_o.ConnectTimeout),
            ConnectCallback = ConnectLoopbackAsync,
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var stop = new CancellationTokenSource();
        int local = _o.LocalConnections;
        for (int i = 0; i < local; i++)
        {
            int g = _o.GlobalIndex(i);
            int auction = g % _o.Auctions;
            var c = new Connection(this, i, g, auction, _auctionIds[auction]);
            if (g < _o.Bidders)
            {
                c.BidderIndex = g;
            }
            _conns.Add(c);
        }
        result.LocalConnections = local;

        using var progressCts = new CancellationTokenSource();
        var progressTask = ProgressLoopAsync(progressCts.Token);

        // Ramp-up with bounded parallelism, bounded in time.
        var rampWatch = Stopwatch.StartNew();
        using (var rampCts = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
        {
            rampCts.CancelAfter(TimeSpan.FromSeconds(_o.RampTimeout));
            await Parallel.ForEachAsync(_conns, new ParallelOptions { MaxDegreeOfParallelism = _o.ConnectParallelism, CancellationToken = CancellationToken.None },
                async (c, _) =>
                {
                    if (rampCts.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _connectFailed);
                        Stats.Error("ramp_timeout");
                        return;
                    }
                    string user = _o.Username(c.Global);
                    long ticks = await c.ConnectAsync(invoker, _o.SocketUri(c.AuctionId, c.Global), user, $"LT {c.Global}", TimeSpan.FromSeconds(_o.ConnectTimeout), stop.Token);
                    if (ticks < 0)
                    {
                        Interlocked.Increment(ref _connectFailed);
                        return;
                    }
                    Interlocked.Increment(ref _connected);
                    lock (_connectLock)
                    {
                        _connectHist.RecordValue(Math.Clamp(Hist.ToUs(ticks), 0, Hist.Highest));
                    }
                });
        }
        result.RampSeconds = rampWatch.Elapsed.TotalSeconds;
        // Let the join broadcasts (user_joined × N) settle a little before measuring memory.
        await Task.Delay(500);
        result.RssAfterKb = rssPid is int p2 ? Rss.ReadKb(p2) : null;

        _t0 = goSignal is null ? Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 5) : await goSignal();
        _phase = "bid";
        await BidPhaseAsync(stop.Token);
        _phase = "drain";
        await DrainAsync();
        _phase = "close";

        await stop.CancelAsync();
        await Parallel.ForEachAsync(_conns, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (c, _) => await c.CloseAsync(TimeSpan.FromSeconds(2)));
        await Task.WhenAny(Task.WhenAll(_conns.Select(c => c.ReceiveTask)), Task.Delay(TimeSpan.FromSeconds(5)));
        await progressCts.CancelAsync();
        await progressTask;

        Fill(result);
        return result;
    }

    /// <summary>Loopback only, enforced at the socket level too (the URL check happens at parse time).</summary>
    internal static async ValueTask<Stream> ConnectLoopbackAsync(SocketsHttpConnectionContext ctx, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(ctx.DnsEndPoint.Host.Trim('[', ']'), out var ip) ? [ip] : await Dns.GetHostAddressesAsync(ctx.DnsEndPoint.Host, ct);
        var target = addresses.FirstOrDefault(IPAddress.IsLoopback) ?? throw new HttpRequestException("refusing non-loopback address");
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(target, ctx.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task BidPhaseAsync(CancellationToken stop)
    {
        var bidders = _conns.Where(c => c.BidderIndex >= 0 && c.Connected).ToList();
        long end = _t0 + (long)(_o.Duration * Stopwatch.Frequency);
        var tasks = bidders.Select(c => Task.Run(async () =>
        {
            int b = c.BidderIndex;
            for (int k = 0; k < 10_000_000; k++)
            {
                double offset = ((k * (double)_o.Bidders) + b) / _o.Rate;
                long sched = _t0 + (long)(offset * Stopwatch.Frequency);
                if (sched >= end || stop.IsCancellationRequested)
                {
                    break;
                }
                long wait = sched - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), stop);
                }
                if (c.Disconnected)
                {
                    break;
                }
                var bid = new BidRecord { Auction = c.Auction, Bidder = b, K = k, Key = $"{_o.RunId}-{b}-{k}", SchedTs = sched, Node = _o.NodeOf(c.Global) };
                lock (_bids)
                {
                    _bids.Add(bid);
                }
                // Open loop: do not wait for the ack before the next bid.
                await c.SendBidAsync(bid, stop);
            }
        }, stop)).ToList();
        await Task.WhenAll(tasks);
    }

    private async Task DrainAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_o.Drain * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            bool pending = _conns.Any(c => c.PendingCount > 0);
            // Every connected socket of an auction should have reached the highest seq seen locally in it.
            var maxSeq = new long[_o.Auctions];
            foreach (var c in _conns)
            {
                if (c.Connected && c.LastSeq > maxSeq[c.Auction])
                {
                    maxSeq[c.Auction] = c.LastSeq;
                }
            }
            bool behind = _conns.Any(c => c.Connected && !c.Disconnected && c.LastSeq < maxSeq[c.Auction]);
            if (!pending && !behind)
            {
                // Small grace for messages still in flight from other processes' bids.
                await Task.Delay(200);
                return;
            }
            await Task.Delay(50);
        }
    }

    private async Task ProgressLoopAsync(CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        long lastSent = 0, lastAcks = 0, lastDeliveries = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(1000, ct);
                long sent = Stats.BidsSent, acks = Stats.Acks, deliveries = Stats.Deliveries;
                double p99 = Stats.TakeIntervalAckP99();
                int open = _conns.Count(c => c.Connected && !c.Disconnected);
                _progress.Add([Math.Round(sw.Elapsed.TotalSeconds, 1), open, sent - lastSent, acks - lastAcks, double.IsNaN(p99) ? -1 : Math.Round(p99, 2)]);
                if (!_o.Quiet)
                {
                    string prefix = _o.ProcessCount > 1 || _o.Child ? $"[p{_o.ProcessIndex}] " : "";
                    Console.Error.WriteLine(
                        $"{prefix}{sw.Elapsed.TotalSeconds,5:F0}s {_phase,-5} open {open,6}/{_conns.Count} (fail {_connectFailed}) " +
                        $"bids/s {sent - lastSent,5} acks/s {acks - lastAcks,5} deliveries/s {deliveries - lastDeliveries,8} " +
                        $"ack p99 {(double.IsNaN(p99) ? "-" : p99.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)),7} ms errors {Stats.ErrorCount}");
                }
                lastSent = sent;
                lastAcks = acks;
                lastDeliveries = deliveries;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Fill(PartialResult r)
    {
        r.Connected = _connected;
        r.ConnectFailed = _connectFailed;
        r.Disconnected = _conns.Count(c => c.Disconnected);
        r.ConnectHistogram = Hist.Encode(_connectHist);
        r.Joins = _conns.Where(c => c.Connected).GroupBy(c => (c.Auction, c.JoinVersion, c.Disconnected))
            .Select(g => new JoinCount(g.Key.Auction, g.Key.JoinVersion, g.Count(), g.Key.Disconnected)).ToList();
        long Us(long ts) => ts == 0 ? -1 : Hist.ToUs(ts - _t0);
        lock (_bids)
        {
            r.Bids = _bids.Select(b => new BidOut(b.Auction, b.Bidder, b.K, Us(b.SchedTs), Us(b.SentTs), b.AckTs == 0 ? -1 : Us(b.AckTs), b.Seq, b.AckTs == 0 ? null : b.Code ?? "ACCEPTED", b.Amount)).ToList();
        }

        // Per (auction, seq): first/max receive time and the distribution relative to the first receive.
        var first = new Dictionary<(int, long), (long First, long Max, int Count)>();
        var open = new Dictionary<(int, long), int>();
        foreach (var c in _conns)
        {
            var seqs = c.RecSeq;
            var ts = c.RecTs;
            for (int i = 0; i < seqs.Length; i++)
            {
                var key = (c.Auction, seqs[i]);
                first[key] = first.TryGetValue(key, out var e)
                    ? (Math.Min(e.First, ts[i]), Math.Max(e.Max, ts[i]), e.Count + 1)
                    : (ts[i], ts[i], 1);
                if (!c.Disconnected)
                {
                    open[key] = open.GetValueOrDefault(key) + 1;
                }
            }
        }
        var hists = new Dictionary<(int, long), LongHistogram>();
        foreach (var c in _conns)
        {
            var seqs = c.RecSeq;
            var ts = c.RecTs;
            for (int i = 0; i < seqs.Length; i++)
            {
                var key = (c.Auction, seqs[i]);
                if (!hists.TryGetValue(key, out var h))
                {
                    h = new LongHistogram(Hist.Highest, 3);
                    hists[key] = h;
                }
                h.RecordValue(Math.Clamp(Hist.ToUs(ts[i] - first[key].First), 0, Hist.Highest));
            }
        }
        FillNodeLatencies(r);
        r.Seqs = first.OrderBy(kv => kv.Key).Select(kv => new SeqOut(kv.Key.Item1, kv.Key.Item2, Us(kv.Value.First), Us(kv.Value.Max), kv.Value.Count, Hist.Encode(hists[kv.Key]), open.GetValueOrDefault(kv.Key))).ToList();

        r.Messages = Stats.Messages;
        r.Bytes = Stats.Bytes;
        r.PresenceMessages = Stats.PresenceCount;
        r.Pings = Stats.Pings;
        r.OtherMessages = Stats.OtherCount;
        r.Duplicates = Stats.Duplicates;
        r.EchoDuplicates = _conns.Sum(c => (long)c.EchoDuplicates);
        r.Errors = Stats.Errors.ToDictionary(kv => kv.Key, kv => kv.Value);
        r.Progress = _progress;
    }

    // Bid sent → each watcher's receipt, split by whether the watcher uses the bidder's --url (same node)
    // or another one (cross node: the event went through the Redis bus). Bids of this process only.
    private void FillNodeLatencies(PartialResult r)
    {
        var sent = new Dictionary<(int, long), (long SentTs, int Node)>();
        lock (_bids)
        {
            foreach (var b in _bids.Where(b => b.AckTs != 0 && b.Code is null && b.Seq > 0 && b.SentTs != 0))
            {
                sent[(b.Auction, b.Seq)] = (b.SentTs, b.Node);
            }
        }

        var same = Hist.New();
        var cross = Hist.New();
        foreach (var c in _conns)
        {
            var seqs = c.RecSeq;
            var ts = c.RecTs;
            for (int i = 0; i < seqs.Length; i++)
            {
                if (sent.TryGetValue((c.Auction, seqs[i]), out var bid))
                {
                    (_o.NodeOf(c.Global) == bid.Node ? same : cross).RecordValue(Math.Clamp(Hist.ToUs(ts[i] - bid.SentTs), 0, Hist.Highest));
                }
            }
        }
        r.SameNodeHistogram = Hist.Encode(same);
        r.CrossNodeHistogram = Hist.Encode(cross);
    }
}

internal static class Rss
{
    public static long? ReadKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}

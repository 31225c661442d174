using System.Globalization;
using HdrHistogram;

namespace RemateLive.LoadTest;

internal static class Merge
{
    public static RunResult Build(Options o, IReadOnlyList<string> auctionIds, IReadOnlyList<PartialResult> parts, long? rssBefore, long? rssAfter, StoreCheck? store = null)
    {
        var r = new RunResult
        {
            Label = o.Label,
            Url = o.Url.ToString(),
            AuctionIds = [.. auctionIds],
            Command = "dotnet run --project samples/RemateLive.LoadTest -c Release -- " + o.CommandLine,
            StartedUtc = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Machine = Machine.Describe(),
            Processes = parts.Count,
            ConnectionsRequested = o.Connections,
            Bidders = o.Bidders,
            TargetRate = o.Rate,
            DurationSeconds = o.Duration,
            Connected = parts.Sum(p => p.Connected),
            ConnectFailed = parts.Sum(p => p.ConnectFailed),
            Disconnected = parts.Sum(p => p.Disconnected),
            RampSeconds = Math.Round(parts.Max(p => p.RampSeconds), 2),
            Messages = parts.Sum(p => p.Messages),
            Bytes = parts.Sum(p => p.Bytes),
            PresenceMessages = parts.Sum(p => p.PresenceMessages),
            Duplicates = parts.Sum(p => p.Duplicates),
            Store = store,
        };
        foreach (var (k, v) in parts.SelectMany(p => p.Errors))
        {
            r.Errors[k] = r.Errors.GetValueOrDefault(k) + v;
        }

        var connect = Hist.New();
        foreach (var p in parts)
        {
            connect.Add(Hist.Decode(p.ConnectHistogram));
        }
        r.ConnectMs = Hist.Summary(connect);
        r.Urls = [.. o.Urls.Select(u => u.ToString())];
        if (o.Urls.Count > 1)
        {
            var same = Hist.New();
            var cross = Hist.New();
            foreach (var p in parts)
            {
                same.Add(Hist.Decode(p.SameNodeHistogram));
                cross.Add(Hist.Decode(p.CrossNodeHistogram));
            }
            r.SameNodeMs = Hist.Summary(same);
            r.CrossNodeMs = Hist.Summary(cross);
        }

        // Bids and acks.
        var bids = parts.SelectMany(p => p.Bids).ToList();
        var ack = Hist.New();
        var ackAccepted = Hist.New();
        r.BidsScheduled = bids.Count;
        foreach (var b in bids)
        {
            if (b.AckUs < 0)
            {
                if (b.Code != "SEND_FAILED")
                {
                    r.BidsUnanswered++;
                }
                continue;
            }
            r.BidsAcked++;
            long us = Math.Clamp(b.AckUs - b.SchedUs, 0, Hist.Highest);
            ack.RecordValue(us);
            if (b.Code == "ACCEPTED")
            {
                r.BidsAccepted++;
                ackAccepted.RecordValue(us);
            }
            else
            {
                r.RejectedByCode[b.Code!] = r.RejectedByCode.GetValueOrDefault(b.Code!) + 1;
            }
            r.AckTimeline.Add([Math.Round(b.SchedUs / 1e6, 4), Math.Round(us / 1000.0, 3), b.Code == "ACCEPTED" ? 1 : 0]);
        }
        r.AchievedBidRate = Math.Round(r.BidsAcked / o.Duration, 1);
        r.AckMs = Hist.Summary(ack);
        r.AcceptedAckMs = Hist.Summary(ackAccepted);
        r.AckBuckets = Hist.Buckets(ack);

        // Deliveries: per (auction, seq) across processes.
        var seqParts = parts.SelectMany(p => p.Seqs).GroupBy(s => (s.Auction, s.Seq)).ToDictionary(g => g.Key, g => g.ToList());
        var joins = parts.SelectMany(p => p.Joins).ToList();
        long Expected(int auction, long seq) => joins.Where(j => j.Auction == auction && j.Version < seq).Sum(j => (long)j.Count);
        long ExpectedOpen(int auction, long seq) => joins.Where(j => j.Auction == auction && j.Version < seq && !j.Dropped).Sum(j => (long)j.Count);
        long Received(int auction, long seq) => seqParts.TryGetValue((auction, seq), out var l) ? l.Sum(s => (long)s.Count) : 0;

        var last = Hist.New();
        var all = Hist.New();
        var acceptedBids = bids.Where(b => b.Code == "ACCEPTED" && b.Seq > 0).ToList();
        foreach (var b in acceptedBids)
        {
            if (!seqParts.TryGetValue((b.Auction, b.Seq), out var list))
            {
                continue;
            }
            long lastUs = list.Max(s => s.MaxUs) - b.SchedUs;
            last.RecordValue(Math.Clamp(lastUs, 0, Hist.Highest));
            r.DeliveryTimeline.Add([Math.Round(b.SchedUs / 1e6, 4), Math.Round(lastUs / 1000.0, 3)]);
            foreach (var s in list)
            {
                long shift = s.FirstUs - b.SchedUs;
                foreach (var (value, count) in Hist.Pairs(s.RelHistogram))
                {
                    all.RecordValueWithCount(Math.Clamp(shift + value, 0, Hist.Highest), count);
                }
            }
        }
        r.DeliveryLastMs = Hist.Summary(last);
        r.DeliveryAllMs = Hist.Summary(all);
        r.DeliveryAllBuckets = Hist.Buckets(all);

        // Loss: every connection of an auction must receive every seq after its join version,
        // up to the highest seq anyone saw or any bidder got acked.
        for (int a = 0; a < o.Auctions; a++)
        {
            var aj = joins.Where(j => j.Auction == a).ToList();
            if (aj.Count == 0)
            {
                continue;
            }
            long from = aj.Min(j => j.Version) + 1;
            long to = Math.Max(
                seqParts.Keys.Where(k => k.Auction == a).Select(k => k.Seq).DefaultIfEmpty(0).Max(),
                acceptedBids.Where(b => b.Auction == a).Select(b => b.Seq).DefaultIfEmpty(0).Max());
            // With --verify-store the store's last seq counts too: an event nobody received (e.g. an accepted bid whose
            // ack never came) is then lost for every socket, not invisible.
            if (store?.MaxEventSeq.TryGetValue(a, out long storeMax) == true)
            {
                to = Math.Max(to, storeMax);
            }
            to = Math.Min(to, from + 10_000_000);
            for (long s = from; s <= to; s++)
            {
                long exp = Expected(a, s), rec = Received(a, s);
                r.ExpectedDeliveries += exp;
                r.Deliveries += Math.Min(rec, exp);
                r.MessagesLost += Math.Max(0, exp - rec);
                // Sockets the server closed miss everything after the close; what is missing beyond that was lost on open sockets.
                long recOpen = seqParts.TryGetValue((a, s), out var sl) ? sl.Sum(x => (long)x.CountOpen) : 0;
                r.LostOnOpenConnections += Math.Max(0, ExpectedOpen(a, s) - recOpen);
            }
        }
        r.AckedNotDelivered = acceptedBids.Count(b => Received(b.Auction, b.Seq) < Expected(b.Auction, b.Seq));

        r.ServerRssBeforeKb = rssBefore;
        r.ServerRssAfterKb = rssAfter;
        if (rssBefore is long rb && rssAfter is long ra && r.Connected > 0)
        {
            r.ServerRssPerConnectionKb = Math.Round((ra - rb) / (double)r.Connected, 1);
        }

        // Progress: sum per second across processes (p99: the worst).
        int rows = parts.Max(p => p.Progress.Count);
        for (int i = 0; i < rows; i++)
        {
            var row = parts.Where(p => i < p.Progress.Count).Select(p => p.Progress[i]).ToList();
            r.Progress.Add([row[0][0], row.Sum(x => x[1]), row.Sum(x => x[2]), row.Sum(x => x[3]), row.Max(x => x[4])]);
        }
        return r;
    }

    public static void Judge(Options o, RunResult r)
    {
        if (o.FailOnLoss)
        {
            if (r.MessagesLost > 0)
            {
                r.Failures.Add($"{r.MessagesLost} message(s) lost (expected {r.ExpectedDeliveries} deliveries)");
            }
            if (r.AckedNotDelivered > 0)
            {
                r.Failures.Add($"{r.AckedNotDelivered} acknowledged bid(s) not delivered to every watcher");
            }
            if (r.BidsUnanswered > 0)
            {
                r.Failures.Add($"{r.BidsUnanswered} bid(s) never answered (no bid_placed/bid_error)");
            }
            if (r.ConnectFailed > 0 || r.Disconnected > 0)
            {
                r.Failures.Add($"{r.ConnectFailed} connection(s) failed, {r.Disconnected} dropped by the server");
            }
            if (r.Duplicates > 0)
            {
                r.Failures.Add($"{r.Duplicates} duplicate/out-of-order seq deliveries");
            }
            if (r.BidsAccepted == 0 && r.Bidders > 0)
            {
                r.Failures.Add("no bid was accepted");
            }
        }
        if (r.Store is { Checked: true } st && (st.MissingInBids > 0 || st.MissingInEvents > 0))
        {
            r.Failures.Add($"store: {st.MissingInBids} acked bid(s) missing from /bids, {st.MissingInEvents} from /events");
        }
        r.Passed = r.Failures.Count == 0;
    }
}

internal static class Machine
{
    public static string Describe()
    {
        long memKb = 0;
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null)
            {
                memKb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        return $"{Environment.ProcessorCount} cores, {memKb / 1024.0 / 1024.0:F1} GiB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}

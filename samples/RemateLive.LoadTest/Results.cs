using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace RemateLive.LoadTest;

/// <summary>What one process measured; merged (possibly across processes) into <see cref="RunResult"/>.
/// Times are microseconds relative to the shared bid-phase start t0 (Stopwatch/CLOCK_MONOTONIC is system wide on Linux).</summary>
internal sealed class PartialResult
{
    public int ProcessIndex { get; set; }
    public int LocalConnections { get; set; }
    public int Connected { get; set; }
    public int ConnectFailed { get; set; }
    public int Disconnected { get; set; }
    public string ConnectHistogram { get; set; } = "";
    public string SameNodeHistogram { get; set; } = "";
    public string CrossNodeHistogram { get; set; } = "";
    public double RampSeconds { get; set; }
    public List<JoinCount> Joins { get; set; } = [];
    public List<BidOut> Bids { get; set; } = [];
    public List<SeqOut> Seqs { get; set; } = [];
    public long Messages { get; set; }
    public long Bytes { get; set; }
    public long PresenceMessages { get; set; }
    public long Pings { get; set; }
    public long OtherMessages { get; set; }
    public long Duplicates { get; set; }
    public long EchoDuplicates { get; set; }
    public Dictionary<string, long> Errors { get; set; } = [];
    public long? RssBeforeKb { get; set; }
    public long? RssAfterKb { get; set; }
    public List<double[]> Progress { get; set; } = [];
}

internal sealed record JoinCount(int Auction, long Version, int Count, bool Dropped = false);

internal sealed record BidOut(int Auction, int Bidder, int K, long SchedUs, long SentUs, long AckUs, long Seq, string? Code, long Amount);

internal sealed record SeqOut(int Auction, long Seq, long FirstUs, long MaxUs, int Count, string RelHistogram, int CountOpen = 0);

internal sealed record Percentiles(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);

internal sealed record HistogramBucket(double UpToMs, long Count);

internal sealed class RunResult
{
    public string Tool { get; set; } = "RemateLive.LoadTest";
    public string Label { get; set; } = "";
    public string Url { get; set; } = "";
    public List<string> AuctionIds { get; set; } = [];
    public string Command { get; set; } = "";
    public string StartedUtc { get; set; } = "";
    public string Machine { get; set; } = "";
    public int Processes { get; set; }
    public int ConnectionsRequested { get; set; }
    public int Connected { get; set; }
    public int ConnectFailed { get; set; }
    public int Disconnected { get; set; }
    public int Bidders { get; set; }
    public double TargetRate { get; set; }
    public double DurationSeconds { get; set; }
    public double RampSeconds { get; set; }
    public long BidsScheduled { get; set; }
    public long BidsAcked { get; set; }
    public long BidsAccepted { get; set; }
    public long BidsUnanswered { get; set; }
    public double AchievedBidRate { get; set; }
    public Dictionary<string, long> RejectedByCode { get; set; } = [];
    public Percentiles? ConnectMs { get; set; }
    public Percentiles? AckMs { get; set; }
    public Percentiles? AcceptedAckMs { get; set; }
    public Percentiles? DeliveryLastMs { get; set; }
    public Percentiles? DeliveryAllMs { get; set; }
    /// <summary>Bid sent → watcher received, watcher on the bidder's --url (several --url only).</summary>
    public Percentiles? SameNodeMs { get; set; }
    /// <summary>Bid sent → watcher received, watcher on another --url: through the bus (several --url only).</summary>
    public Percentiles? CrossNodeMs { get; set; }
    public List<string> Urls { get; set; } = [];
    public long ExpectedDeliveries { get; set; }
    public long Deliveries { get; set; }
    public long MessagesLost { get; set; }
    public long LostOnOpenConnections { get; set; }
    public long AckedNotDelivered { get; set; }
    public long Duplicates { get; set; }
    public long Messages { get; set; }
    public long Bytes { get; set; }
    public long PresenceMessages { get; set; }
    public Dictionary<string, long> Errors { get; set; } = [];
    public long? ServerRssBeforeKb { get; set; }
    public long? ServerRssAfterKb { get; set; }
    public double? ServerRssPerConnectionKb { get; set; }
    public StoreCheck? Store { get; set; }
    public bool Passed { get; set; } = true;
    public List<string> Failures { get; set; } = [];
    public List<HistogramBucket> DeliveryAllBuckets { get; set; } = [];
    public List<HistogramBucket> AckBuckets { get; set; } = [];
    public List<double[]> AckTimeline { get; set; } = [];        // [sched s since t0, ack ms, accepted 1/0]
    public List<double[]> DeliveryTimeline { get; set; } = [];   // [sched s since t0, last-receiver ms]
    public List<double[]> Progress { get; set; } = [];           // [s, open, bids/s, acks/s, p99 ms]
}

internal sealed class StoreCheck
{
    public bool Checked { get; set; }
    public long AckedAccepted { get; set; }
    public long MissingInBids { get; set; }
    public long MissingInEvents { get; set; }
    /// <summary>Highest seq in /events per auction index: extends the loss check to events no socket saw.</summary>
    public Dictionary<int, long> MaxEventSeq { get; set; } = [];
    public List<string> Notes { get; set; } = [];
}

internal static class Hist
{
    public const long Highest = 3_600_000_000; // 1 h in µs

    public static LongHistogram New() => new(Highest, 3);

    /// <summary>Compact, exact (at histogram precision) text form: "value:count,value:count".</summary>
    public static string Encode(HistogramBase h)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var v in h.RecordedValues())
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(v.ValueIteratedTo).Append(':').Append(v.CountAddedInThisIterationStep);
        }
        return sb.ToString();
    }

    public static LongHistogram Decode(string text)
    {
        var h = New();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int i = pair.IndexOf(':', StringComparison.Ordinal);
            h.RecordValueWithCount(long.Parse(pair.AsSpan(0, i), System.Globalization.CultureInfo.InvariantCulture), long.Parse(pair.AsSpan(i + 1), System.Globalization.CultureInfo.InvariantCulture));
        }
        return h;
    }

    /// <summary>(value, count) pairs of a histogram encoded by <see cref="Encode"/>.</summary>
    public static IEnumerable<(long Value, long Count)> Pairs(string text)
    {
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int i = pair.IndexOf(':', StringComparison.Ordinal);
            yield return (long.Parse(pair.AsSpan(0, i), System.Globalization.CultureInfo.InvariantCulture), long.Parse(pair.AsSpan(i + 1), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static Percentiles? Summary(HistogramBase h)
    {
        if (h.TotalCount == 0)
        {
            return null;
        }
        static double Ms(long us) => Math.Round(us / 1000.0, 3);
        return new Percentiles(h.TotalCount,
            Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()), Math.Round(h.GetMean() / 1000.0, 3));
    }

    /// <summary>Log-spaced buckets (ms) for the HTML histogram.</summary>
    public static List<HistogramBucket> Buckets(HistogramBase h)
    {
        var result = new List<HistogramBucket>();
        if (h.TotalCount == 0)
        {
            return result;
        }
        double[] edges = [0.1, 0.2, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000, 3600000];
        var counts = new long[edges.Length];
        foreach (var v in h.RecordedValues())
        {
            double ms = v.ValueIteratedTo / 1000.0;
            int i = Array.FindIndex(edges, e => ms <= e);
            counts[i < 0 ? edges.Length - 1 : i] += v.CountAddedInThisIterationStep;
        }
        int last = Array.FindLastIndex(counts, c => c > 0);
        for (int i = 0; i <= last; i++)
        {
            result.Add(new HistogramBucket(edges[i], counts[i]));
        }
        return result;
    }

    public static long ToUs(long ticksDelta) => (long)(ticksDelta * 1_000_000.0 / Stopwatch.Frequency);
}

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

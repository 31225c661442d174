using System.Globalization;
using System.Net;
using System.Text;

namespace RemateLive.LoadTest;

internal static class Report
{
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Row(string name, Percentiles? p) => p is null
        ? $"  {name,-28} {"-",10}"
        : $"  {name,-28} {p.Count,10} {F(p.P50),9} {F(p.P90),9} {F(p.P99),9} {F(p.P999),9} {F(p.Max),9}";

    public static string Table(RunResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"RemateLive.LoadTest {r.Label} — {r.Url} auctions {string.Join(',', r.AuctionIds)}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  machine: {r.Machine}; processes: {r.Processes}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  connections: {r.Connected}/{r.ConnectionsRequested} connected, {r.ConnectFailed} failed, {r.Disconnected} dropped; ramp {F(r.RampSeconds)} s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  bids: {r.BidsScheduled} scheduled @ {F(r.TargetRate)}/s by {r.Bidders} bidders over {F(r.DurationSeconds)} s; acked {r.BidsAcked} ({F(r.AchievedBidRate)}/s), accepted {r.BidsAccepted}, rejected {string.Join(", ", r.RejectedByCode.Select(kv => $"{kv.Key}={kv.Value}"))}{(r.RejectedByCode.Count == 0 ? "0" : "")}, unanswered {r.BidsUnanswered}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"  deliveries: {r.Deliveries}/{r.ExpectedDeliveries}, lost {r.MessagesLost} (on sockets never dropped: {r.LostOnOpenConnections}), acked-not-delivered {r.AckedNotDelivered}, duplicates {r.Duplicates}; messages received {r.Messages} ({r.Bytes / 1024.0 / 1024.0:F1} MiB, presence {r.PresenceMessages})");
        if (r.ServerRssPerConnectionKb is double perConn)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  server RSS: {r.ServerRssBeforeKb / 1024.0:F1} MiB → {r.ServerRssAfterKb / 1024.0:F1} MiB = {F(perConn)} KiB per connection");
        }
        if (r.Errors.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  errors: {string.Join(", ", r.Errors.Select(kv => $"{kv.Key}={kv.Value}"))}");
        }
        if (r.Store is { } st)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  store: {st.AckedAccepted} accepted checked, missing in /bids {st.MissingInBids}, in /events {st.MissingInEvents}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"  {"latency (ms)",-28} {"count",10} {"p50",9} {"p90",9} {"p99",9} {"p99.9",9} {"max",9}");
        sb.AppendLine(Row("connect+auth", r.ConnectMs));
        sb.AppendLine(Row("bid → ack (all)", r.AckMs));
        sb.AppendLine(Row("bid → ack (accepted)", r.AcceptedAckMs));
        sb.AppendLine(Row("bid → last receiver", r.DeliveryLastMs));
        sb.AppendLine(Row("bid → every receiver", r.DeliveryAllMs));
        if (r.CrossNodeMs is not null)
        {
            sb.AppendLine(Row("bid sent → watcher, same node", r.SameNodeMs));
            sb.AppendLine(Row("bid sent → watcher, cross node", r.CrossNodeMs));
        }
        sb.AppendLine(r.Passed ? "  RESULT: PASS" : "  RESULT: FAIL — " + string.Join("; ", r.Failures));
        return sb.ToString();
    }

    /// <summary>One line of key=value pairs for shell scripts (ms; "na" when not measured).</summary>
    public static string SummaryLine(RunResult r)
    {
        static string V(double? v) => v is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : "na";
        return string.Join(' ',
            "SUMMARY",
            $"connected={r.Connected}", $"requested={r.ConnectionsRequested}", $"failed={r.ConnectFailed}", $"dropped={r.Disconnected}",
            $"scheduled={r.BidsScheduled}", $"acked={r.BidsAcked}", $"accepted={r.BidsAccepted}", $"rejected={r.BidsAcked - r.BidsAccepted}", $"unanswered={r.BidsUnanswered}",
            $"ack_p50={V(r.AckMs?.P50)}", $"ack_p99={V(r.AckMs?.P99)}",
            $"last_p50={V(r.DeliveryLastMs?.P50)}", $"last_p99={V(r.DeliveryLastMs?.P99)}", $"last_max={V(r.DeliveryLastMs?.Max)}",
            $"all_p50={V(r.DeliveryAllMs?.P50)}", $"all_p99={V(r.DeliveryAllMs?.P99)}",
            $"same_node_p99={V(r.SameNodeMs?.P99)}", $"cross_node_p50={V(r.CrossNodeMs?.P50)}", $"cross_node_p99={V(r.CrossNodeMs?.P99)}",
            $"connect_p50={V(r.ConnectMs?.P50)}", $"connect_p99={V(r.ConnectMs?.P99)}",
            $"lost={r.MessagesLost}", $"lost_open={r.LostOnOpenConnections}", $"acked_not_delivered={r.AckedNotDelivered}", $"duplicates={r.Duplicates}",
            $"rss_kb_per_conn={V(r.ServerRssPerConnectionKb)}", $"passed={(r.Passed ? 1 : 0)}");
    }

    public static string Html(RunResult r)
    {
        var sb = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        sb.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>RemateLive load test</title><style>")
          .Append("body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}")
          .Append("th:first-child,td:first-child{text-align:left}pre{background:#f5f5f5;padding:.6rem;white-space:pre-wrap}.bad{color:#b00}.ok{color:#070}</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>RemateLive.LoadTest {E(r.Label)}</h1><p class=\"{(r.Passed ? "ok" : "bad")}\"><b>{(r.Passed ? "PASS" : "FAIL: " + E(string.Join("; ", r.Failures)))}</b></p>");
        sb.Append(CultureInfo.InvariantCulture, $"<pre>{E(Table(r))}</pre><p>Command: <code>{E(r.Command)}</code><br>Machine: {E(r.Machine)}<br>Date: {E(r.StartedUtc)}</p>");
        sb.Append("<h2>bid → every receiver (latency histogram, ms, log-spaced buckets)</h2>").Append(Bars(r.DeliveryAllBuckets, "#3a7bd5"));
        sb.Append("<h2>bid → ack (ms)</h2>").Append(Bars(r.AckBuckets, "#d58a3a"));
        sb.Append("<h2>Timeline: latency by scheduled send time</h2><p>orange = ack (grey = rejected), blue = last receiver</p>").Append(Timeline(r));
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static string Bars(List<HistogramBucket> buckets, string color)
    {
        if (buckets.Count == 0)
        {
            return "<p>(no data)</p>";
        }
        const int W = 760, H = 220, Pad = 40;
        long max = Math.Max(1, buckets.Max(b => b.Count));
        double bw = (W - Pad) / (double)buckets.Count;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H + 40}\" font-size=\"10\">");
        for (int i = 0; i < buckets.Count; i++)
        {
            double h = buckets[i].Count / (double)max * H;
            double x = Pad + (i * bw);
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{H - h:F1}\" width=\"{bw - 2:F1}\" height=\"{h:F1}\" fill=\"{color}\"><title>≤{F(buckets[i].UpToMs)} ms: {buckets[i].Count}</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (bw / 2):F1}\" y=\"{H + 14}\" text-anchor=\"middle\">{F(buckets[i].UpToMs)}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"10\">{max}</text><text x=\"{W / 2}\" y=\"{H + 32}\">≤ ms</text></svg>");
        return sb.ToString();
    }

    private static string Timeline(RunResult r)
    {
        if (r.AckTimeline.Count == 0)
        {
            return "<p>(no data)</p>";
        }
        const int W = 760, H = 260, Pad = 50;
        double maxX = Math.Max(r.DurationSeconds, 0.001);
        double maxY = Math.Max(1, r.AckTimeline.Concat(r.DeliveryTimeline).Max(p => p[1]));
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H + 30}\" font-size=\"10\">");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{H}\" x2=\"{W}\" y2=\"{H}\" stroke=\"#888\"/><line x1=\"{Pad}\" y1=\"0\" x2=\"{Pad}\" y2=\"{H}\" stroke=\"#888\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"10\">{F(maxY)} ms</text><text x=\"{W - 60}\" y=\"{H + 20}\">{F(maxX)} s</text>");
        void Dot(double x, double y, string c) => sb.Append(CultureInfo.InvariantCulture,
            $"<circle cx=\"{Pad + (x / maxX * (W - Pad)):F1}\" cy=\"{H - (y / maxY * H):F1}\" r=\"1.8\" fill=\"{c}\"/>");
        foreach (var p in r.DeliveryTimeline)
        {
            Dot(p[0], p[1], "#3a7bd5");
        }
        foreach (var p in r.AckTimeline)
        {
            Dot(p[0], p[1], p[2] > 0 ? "#d58a3a" : "#999");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}

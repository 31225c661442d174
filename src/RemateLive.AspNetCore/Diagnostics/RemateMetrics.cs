using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>
/// Remate Live's instruments on the meter <c>RemateLive</c> (collect them with OpenTelemetry,
/// <c>dotnet-counters</c> or a <see cref="MeterListener"/>).
/// </summary>
internal sealed class RemateMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "RemateLive";

    private readonly Counter<long> _bids;
    private readonly Histogram<double> _bidDuration;
    private readonly UpDownCounter<long> _connections;
    private readonly Histogram<double> _fanOutDuration;
    private readonly Histogram<long> _fanOutRecipients;

    public RemateMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _bids = meter.CreateCounter<long>("remate.bids", "{bid}", "Bids decided, by outcome (accepted/rejected) and error code.");
        _bidDuration = meter.CreateHistogram<double>("remate.bid.duration", "s", "Time to decide and commit a bid.");
        _connections = meter.CreateUpDownCounter<long>("remate.connections", "{connection}", "Open real-time connections, by transport.");
        _fanOutDuration = meter.CreateHistogram<double>("remate.broadcast.duration", "s", "Time to hand one message to every connection of a room.");
        _fanOutRecipients = meter.CreateHistogram<long>("remate.broadcast.recipients", "{connection}", "Connections one broadcast reached.");
    }

    /// <summary>A bid was decided: accepted when <paramref name="errorCode"/> is null.</summary>
    public void BidDecided(string? errorCode, TimeSpan latency)
    {
        var tags = new TagList
        {
            { "outcome", errorCode is null ? "accepted" : "rejected" },
            { "code", errorCode ?? "OK" },
        };
        _bids.Add(1, tags);
        _bidDuration.Record(latency.TotalSeconds, tags);
    }

    /// <summary>A connection opened on <paramref name="transport"/> (<c>websocket</c>, <c>signalr</c>).</summary>
    public void ConnectionOpened(string transport) => _connections.Add(1, new KeyValuePair<string, object?>("transport", transport));

    /// <summary>A connection closed on <paramref name="transport"/>.</summary>
    public void ConnectionClosed(string transport) => _connections.Add(-1, new KeyValuePair<string, object?>("transport", transport));

    /// <summary>A broadcast reached <paramref name="recipients"/> connections in <paramref name="elapsed"/>.</summary>
    public void FanOut(TimeSpan elapsed, int recipients)
    {
        _fanOutDuration.Record(elapsed.TotalSeconds);
        _fanOutRecipients.Record(recipients);
    }
}

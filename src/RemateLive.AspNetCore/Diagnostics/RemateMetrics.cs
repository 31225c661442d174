using System.Diagnostics;
using System.Diagnostics.Metrics;
using RemateLive.Diagnostics;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>
/// Remate Live's instruments on the meter <see cref="RemateLiveDiagnostics.MeterName"/> (collect them with
/// OpenTelemetry, <c>dotnet-counters</c> or a <see cref="MeterListener"/>). Names and tags follow the
/// OpenTelemetry semantic conventions: namespaced <c>remate_live.*</c>, seconds for durations, the
/// standard <c>error.type</c> for a rejection's code.
/// </summary>
internal sealed class RemateMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = RemateLiveDiagnostics.MeterName;

    private readonly Counter<long> _bids;
    private readonly Histogram<double> _bidDuration;
    private readonly UpDownCounter<long> _connections;
    private readonly Histogram<double> _fanOutDuration;
    private readonly Histogram<long> _fanOutRecipients;

    public RemateMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _bids = meter.CreateCounter<long>("remate_live.bids", "{bid}", "Bids decided, by outcome (accepted/rejected) and error code (error.type).");
        _bidDuration = meter.CreateHistogram<double>("remate_live.bid.duration", "s", "Time to decide and commit a bid.");
        _connections = meter.CreateUpDownCounter<long>("remate_live.active_connections", "{connection}", "Open real-time connections, by transport.");
        _fanOutDuration = meter.CreateHistogram<double>("remate_live.fan_out.duration", "s", "Time to hand one message to every connection of a room.");
        _fanOutRecipients = meter.CreateHistogram<long>("remate_live.fan_out.recipients", "{connection}", "Connections one broadcast reached.");
    }

    /// <summary>A bid was decided: accepted when <paramref name="errorCode"/> is null.</summary>
    public void BidDecided(string? errorCode, TimeSpan latency)
    {
        var tags = new TagList { { "remate_live.bid.outcome", errorCode is null ? "accepted" : "rejected" } };
        if (errorCode is not null)
        {
            tags.Add("error.type", errorCode);
        }

        _bids.Add(1, tags);
        _bidDuration.Record(latency.TotalSeconds, tags);
    }

    /// <summary>A connection opened on <paramref name="transport"/> (<c>websocket</c>, <c>signalr</c>).</summary>
    public void ConnectionOpened(string transport) => _connections.Add(1, new KeyValuePair<string, object?>("remate_live.transport", transport));

    /// <summary>A connection closed on <paramref name="transport"/>.</summary>
    public void ConnectionClosed(string transport) => _connections.Add(-1, new KeyValuePair<string, object?>("remate_live.transport", transport));

    /// <summary>A broadcast reached <paramref name="recipients"/> connections in <paramref name="elapsed"/>.</summary>
    public void FanOut(TimeSpan elapsed, int recipients)
    {
        _fanOutDuration.Record(elapsed.TotalSeconds);
        _fanOutRecipients.Record(recipients);
    }
}

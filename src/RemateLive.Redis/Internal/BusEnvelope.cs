using System.Diagnostics;
using System.Text.Json;
using RemateLive.Diagnostics;
using RemateLive.Events;
using RemateLive.Serialization;

namespace RemateLive.Redis.Internal;

/// <summary>
/// One commit's message on <c>{prefix}:events</c>. Untraced it is the events array (as older nodes write);
/// when the publishing node traces, an object <c>{"traceparent", "tracestate", "events"}</c> carries the
/// publish span's W3C context, and the receiving node's <c>remate_live.bus.receive</c> span (and so its
/// fan-out) joins that trace. Both forms are read.
/// </summary>
internal static class BusEnvelope
{
    public const string ReceiveSpan = "remate_live.bus.receive";

    private static readonly ActivitySource Source = new(RemateLiveDiagnostics.ActivitySourceName, typeof(BusEnvelope).Assembly.GetName().Version?.ToString());

    /// <summary>The message for <paramref name="events"/>, carrying <paramref name="activity"/>'s context when it has a W3C one.</summary>
    public static string Write(IReadOnlyList<AuctionEvent> events, Activity? activity)
    {
        if (activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } traceparent })
        {
            return JsonSerializer.Serialize(events, RemateJson.Options);
        }

        var envelope = new Traced(traceparent, activity.TraceStateString, events);
        return JsonSerializer.Serialize(envelope, RemateJson.Options);
    }

    /// <summary>The events of a message and the publisher's trace context (default when untraced).</summary>
    public static (AuctionEvent[] Events, ActivityContext Origin) Read(string json)
    {
        if (json.AsSpan().TrimStart().StartsWith("{"))
        {
            var envelope = JsonSerializer.Deserialize<Traced>(json, RemateJson.Options) ?? throw new JsonException("Empty envelope.");
            var events = Check(envelope.Events?.ToArray());
            return ActivityContext.TryParse(envelope.Traceparent, envelope.Tracestate, isRemote: true, out var origin)
                ? (events, origin)
                : (events, default);
        }

        return (Check(JsonSerializer.Deserialize<AuctionEvent[]>(json, RemateJson.Options)), default);
    }

    /// <summary>The receiving node's span for one message: a child of the publisher's span on the other node.</summary>
    public static Activity? StartReceive(ActivityContext origin, int eventCount)
    {
        if (origin == default || !Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(ReceiveSpan, ActivityKind.Consumer, origin);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.operation.type", "receive");
        activity?.SetTag("remate_live.events.count", eventCount);
        return activity;
    }

    private static AuctionEvent[] Check(AuctionEvent[]? events) =>
        events is { Length: > 0 } && events.All(e => e is not null) ? events : throw new JsonException("No events in the message.");

    private sealed record Traced(string? Traceparent, string? Tracestate, IReadOnlyList<AuctionEvent>? Events);
}

using System.Diagnostics;
using RemateLive.Diagnostics;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>
/// The transport's spans on <see cref="RemateLiveDiagnostics.ActivitySourceName"/>: a bid received
/// (socket or REST) and an event's fan-out to a room. Null, without allocating, when nobody listens.
/// </summary>
internal static class RemateTracing
{
    public const string ReceiveSpan = "remate_live.receive";
    public const string FanOutSpan = "remate_live.fan_out";

    private static readonly ActivitySource Source = new(RemateLiveDiagnostics.ActivitySourceName, typeof(RemateTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// A bid arrived on <paramref name="transport"/> (<c>socket</c>: WebSocket or SignalR, a root span;
    /// <c>rest</c>: a child of the host's HTTP request span when there is one).
    /// </summary>
    public static Activity? StartReceive(string transport, AuctionId auctionId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(ReceiveSpan, transport == "rest" ? ActivityKind.Internal : ActivityKind.Server);
        activity?.SetTag("remate_live.transport", transport);
        activity?.SetTag("remate_live.auction.id", auctionId.ToString());
        return activity;
    }

    /// <summary>Records how the bid went: accepted, or rejected with its code as <c>error.type</c>.</summary>
    public static void BidDecided(this Activity? activity, string? errorCode)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("remate_live.bid.outcome", errorCode is null ? "accepted" : "rejected");
        if (errorCode is not null)
        {
            activity.SetTag("error.type", errorCode);
        }

        if (errorCode == ErrorCodes.Unavailable)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>One event handed to a room's connections: a child of the commit's batch span on this node, of the bus receive on another.</summary>
    public static Activity? StartFanOut(AuctionId auctionId, long seq)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(FanOutSpan, ActivityKind.Internal);
        activity?.SetTag("remate_live.auction.id", auctionId.ToString());
        activity?.SetTag("remate_live.event.seq", seq);
        return activity;
    }
}

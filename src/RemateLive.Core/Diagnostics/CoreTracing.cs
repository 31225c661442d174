using System.Diagnostics;
using RemateLive.Domain;

namespace RemateLive.Diagnostics;

/// <summary>
/// The core's spans: a writer batch (decide), its store call (commit) and the bus publish. Every helper
/// returns null without allocating when nobody listens to <see cref="RemateLiveDiagnostics.ActivitySourceName"/>.
/// </summary>
internal static class CoreTracing
{
    public const string DecideSpan = "remate_live.decide";
    public const string CommitSpan = "remate_live.commit";
    public const string PublishSpan = "remate_live.publish";
    public const string AuctionIdTag = "remate_live.auction.id";

    public static readonly ActivitySource Source = new(RemateLiveDiagnostics.ActivitySourceName, typeof(CoreTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// One writer batch: a child of the first command's caller (its receive span), linked to the others'.
    /// </summary>
    public static Activity? StartBatch<T>(AuctionId auctionId, List<T> commands, Func<T, ActivityContext> contextOf)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var parent = commands.Count > 0 ? contextOf(commands[0]) : default;
        List<ActivityLink>? links = null;
        for (var i = 1; i < commands.Count; i++)
        {
            var context = contextOf(commands[i]);
            if (context != default && context != parent)
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        var activity = Source.StartActivity(DecideSpan, ActivityKind.Internal, parent, links: links);
        activity?.SetTag(AuctionIdTag, auctionId.ToString());
        activity?.SetTag("remate_live.batch.size", commands.Count);
        return activity;
    }

    /// <summary>The batch's one store call (a child of the current batch span).</summary>
    public static Activity? StartCommit(AuctionId auctionId, int eventCount)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(CommitSpan, ActivityKind.Client);
        activity?.SetTag(AuctionIdTag, auctionId.ToString());
        activity?.SetTag("remate_live.events.count", eventCount);
        return activity;
    }

    /// <summary>Publishing a commit to the other nodes; the bus carries this span's context.</summary>
    public static Activity? StartPublish(AuctionId auctionId, int eventCount)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(PublishSpan, ActivityKind.Producer);
        activity?.SetTag(AuctionIdTag, auctionId.ToString());
        activity?.SetTag("remate_live.events.count", eventCount);
        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="error"/> (OpenTelemetry's error.type).</summary>
    public static void Failed(this Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag("error.type", error.GetType().FullName);
    }
}

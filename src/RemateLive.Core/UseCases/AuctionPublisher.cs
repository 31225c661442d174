using Microsoft.Extensions.Logging;
using RemateLive.Diagnostics;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Feed;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>
/// After a commit: delivers the events to this node's listeners at once (<see cref="DeliverAsync"/>), then
/// publishes them to the bus for the other nodes (<see cref="ShareAsync"/>). The commit already happened,
/// so a failing bus is logged, not thrown: other nodes catch up from the store.
/// </summary>
public sealed partial class AuctionPublisher(
    AuctionFeed feed,
    IAuctionEventBus bus,
    ILogger<AuctionPublisher> logger)
{
    /// <summary>Delivers committed events to this node's listeners (in-process; before the bidder is answered).</summary>
    public Task DeliverAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default) =>
        feed.DeliverAsync(events, cancellationToken);

    /// <summary>Publishes <paramref name="events"/> (committed with <paramref name="state"/>) to the other nodes.</summary>
    public async Task ShareAsync(AuctionState state, IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var activity = CoreTracing.StartPublish(state.Id, events.Count); // the bus carries its context
        try
        {
            await bus.PublishAsync(events, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity.Failed(ex);
            LogBusFailed(logger, ex, state.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish events of auction {AuctionId}; other nodes will fill the gap from the store.")]
    private static partial void LogBusFailed(ILogger logger, Exception ex, AuctionId auctionId);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>
/// Forgets idempotency outcomes older than <see cref="BiddingOptions.OutcomeRetention"/>, every
/// <see cref="BiddingOptions.OutcomePruneInterval"/> (on the injected clock), so stored outcomes stay bounded.
/// Safe on every node: pruning is idempotent.
/// </summary>
internal sealed partial class OutcomePruner(IAuctionStore store, BiddingOptions options, TimeProvider time, ILogger<OutcomePruner> logger) : BackgroundService
{
    /// <summary>Prunes once; returns how many outcomes were forgotten.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken = default) =>
        store.PruneOutcomesAsync(time.GetUtcNow() - options.OutcomeRetention, cancellationToken);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.OutcomePruneInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var pruned = await PruneAsync(stoppingToken);
                    if (pruned > 0)
                    {
                        LogPruned(logger, pruned);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex); // the store may be down; the next tick tries again
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} expired idempotency outcomes.")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning expired idempotency outcomes failed; retrying on the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

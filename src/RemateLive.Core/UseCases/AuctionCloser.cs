using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>
/// Closes due auctions every <see cref="BiddingOptions.CloserInterval"/> (on the injected clock). Safe to run
/// on every node: each close is a compare-and-set on the auction's version.
/// </summary>
internal sealed partial class AuctionCloser(
    IAuctionStore store,
    CloseAuction closeAuction,
    BiddingOptions options,
    TimeProvider time,
    ILogger<AuctionCloser> logger) : BackgroundService
{
    /// <summary>Closes every auction that is due now; returns how many this call closed.</summary>
    public async Task<int> CloseDueAsync(CancellationToken cancellationToken = default)
    {
        var closed = 0;
        var due = await store.GetDueAuctionsAsync(time.GetUtcNow(), 100, cancellationToken);
        foreach (var id in due)
        {
            var result = await closeAuction.ExecuteAsync(id, CloseReason.Ended, cancellationToken);
            if (result.Succeeded)
            {
                closed++;
                LogClosed(logger, id, result.Auction?.WinnerName);
            }
        }

        return closed;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CloserInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CloseDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store may be down; the next tick tries again.
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed auction {AuctionId}; winner: {Winner}.")]
    private static partial void LogClosed(ILogger logger, AuctionId auctionId, string? winner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing due auctions failed; retrying on the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

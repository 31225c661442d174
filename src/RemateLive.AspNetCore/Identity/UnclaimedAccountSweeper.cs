using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore.Identity;

/// <summary>
/// Every <c>Identity:UnclaimedAccountSweepInterval</c>, deletes passwordless accounts older than the session
/// lifetime: no token for them can still be valid, so nobody can use them and their names are free again.
/// Keeps the user store bounded by the active users.
/// </summary>
internal sealed partial class UnclaimedAccountSweeper(
    RemateIdentity identity,
    IOptions<RemateLiveOptions> options,
    TimeProvider time,
    ILogger<UnclaimedAccountSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Identity.UnclaimedAccountSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var deleted = await identity.DeleteUnclaimedAsync(stoppingToken);
                    if (deleted > 0)
                    {
                        LogSwept(logger, deleted);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} unclaimed (passwordless, expired) accounts.")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting unclaimed accounts failed; retrying at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}

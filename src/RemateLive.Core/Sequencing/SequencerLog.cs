using Microsoft.Extensions.Logging;
using RemateLive.Domain;

namespace RemateLive.Sequencing;

/// <summary>The sequencer's log messages.</summary>
internal static partial class SequencerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Auction {AuctionId}: a batch decided at version {Expected} lost to version {Current} (another node); deciding again.")]
    public static partial void Conflict(ILogger logger, AuctionId auctionId, long expected, long current);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The writer of auction {AuctionId} failed unexpectedly; its queued commands were failed.")]
    public static partial void WriterFailed(ILogger logger, Exception ex, AuctionId auctionId);
}

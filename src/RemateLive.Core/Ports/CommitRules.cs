using RemateLive.Events;

namespace RemateLive.Ports;

/// <summary>Shape checks every store applies to a commit before touching data (a buggy caller cannot corrupt the log).</summary>
public static class CommitRules
{
    /// <summary>Throws <see cref="ArgumentException"/> unless events are this auction's, seq-contiguous from the expected version, and the state's version is the last seq.</summary>
    public static void ThrowIfMalformed(AuctionCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Events.Count == 0)
        {
            throw new ArgumentException("A commit needs at least one event.", nameof(commit));
        }

        var expected = commit.ExpectedVersion;
        foreach (var e in commit.Events)
        {
            if (e.AuctionId != commit.State.Id || e.Seq != ++expected)
            {
                throw new ArgumentException($"Event seq {e.Seq} of auction {e.AuctionId} does not follow version {expected - 1} of auction {commit.State.Id}.", nameof(commit));
            }

            if (e is BidPlaced { Bid.Amount.Cents: <= 0 })
            {
                throw new ArgumentException("Bid amounts must be positive.", nameof(commit));
            }
        }

        if (commit.State.Version != expected)
        {
            throw new ArgumentException($"The new state's version {commit.State.Version} must equal the last event's seq {expected}.", nameof(commit));
        }
    }
}

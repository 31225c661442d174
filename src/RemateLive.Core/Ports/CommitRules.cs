using RemateLive.Domain;
using RemateLive.Events;

namespace RemateLive.Ports;

/// <summary>Shape checks every store applies to a commit before touching data (a buggy caller cannot corrupt the log).</summary>
public static class CommitRules
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless the commit holds something, its events are this
    /// auction's and seq-contiguous from the expected version, the state's version is the last seq, and
    /// its outcomes are this auction's, one per (user, key), each either an accepted bid of this commit by
    /// that user or a rejection with a code.
    /// </summary>
    public static void ThrowIfMalformed(AuctionCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(commit.Events);
        ArgumentNullException.ThrowIfNull(commit.Outcomes);
        if (commit.Events.Count == 0 && commit.Outcomes.Count == 0)
        {
            throw new ArgumentException("A commit needs at least one event or outcome.", nameof(commit));
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

        if (commit.Events.Count > 0 && commit.State.Version != expected)
        {
            throw new ArgumentException($"The new state's version {commit.State.Version} must equal the last event's seq {expected}.", nameof(commit));
        }

        if (commit.Outcomes.Count == 0)
        {
            return;
        }

        var bidders = new Dictionary<long, UserId>();
        foreach (var e in commit.Events)
        {
            if (e is BidPlaced p)
            {
                bidders[p.Seq] = p.Bid.BidderId;
            }
            else if (e is MaximumRaised r)
            {
                bidders[r.Seq] = r.BidderId;
            }
        }

        var keys = new HashSet<(UserId, string)>();
        foreach (var o in commit.Outcomes)
        {
            if (o.AuctionId != commit.State.Id || !keys.Add((o.UserId, o.IdempotencyKey)))
            {
                throw new ArgumentException($"Outcome of key '{o.IdempotencyKey}' is not this auction's, or its key appears twice.", nameof(commit));
            }

            var valid = o.Accepted
                ? o.ErrorCode is null && bidders.TryGetValue(o.Seq!.Value, out var bidder) && bidder == o.UserId
                : !string.IsNullOrEmpty(o.ErrorCode);
            if (!valid)
            {
                throw new ArgumentException($"Outcome of key '{o.IdempotencyKey}' must point at the user's bid (or maximum raise) in this commit, or carry an error code.", nameof(commit));
            }
        }
    }
}

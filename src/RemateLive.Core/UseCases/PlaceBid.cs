using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Increments;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>A bid as received from a transport (amounts still raw).</summary>
/// <param name="AuctionId">The auction.</param>
/// <param name="BidderId">The authenticated bidder.</param>
/// <param name="BidderName">Their display name.</param>
/// <param name="AmountCents">The bid.</param>
/// <param name="MaxAmountCents">Optional maximum (proxy bidding).</param>
/// <param name="Version">The version the client saw; informational (a stale one is not an error).</param>
/// <param name="IdempotencyKey">Optional key for exactly-once retries.</param>
public sealed record PlaceBidCommand(
    AuctionId AuctionId,
    UserId BidderId,
    string BidderName,
    long AmountCents,
    long? MaxAmountCents = null,
    long? Version = null,
    string? IdempotencyKey = null);

/// <summary>What happened to a bid.</summary>
/// <param name="Placed">The bidder's accepted bid, or null when rejected.</param>
/// <param name="Error">Why it was rejected.</param>
/// <param name="Auction">The auction's public state after the decision (null when not found).</param>
/// <param name="Committed">Every event this call committed (empty for a replayed outcome or a rejection).</param>
/// <param name="Replayed">True when the outcome was the stored first outcome of the idempotency key.</param>
public sealed record BidOutcome(BidPlaced? Placed, DomainError? Error, AuctionView? Auction, IReadOnlyList<AuctionEvent> Committed, bool Replayed)
{
    /// <summary>Whether the bid stands.</summary>
    public bool Accepted => Placed is not null;
}

/// <summary>
/// Places a bid optimistically: decide on a snapshot, commit with the expected version; on a conflict
/// re-decide on the current state the store returned, a bounded number of times.
/// </summary>
public sealed class PlaceBid(
    IAuctionStore store,
    IAuctionCache cache,
    BidIncrementStrategies strategies,
    AuctionPublisher publisher,
    BiddingOptions options,
    TimeProvider time)
{
    /// <summary>Validates, decides, commits and announces the bid.</summary>
    public async Task<BidOutcome> ExecuteAsync(PlaceBidCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command) is { } invalid)
        {
            return Rejected(invalid, null);
        }

        var key = string.IsNullOrEmpty(command.IdempotencyKey) ? null : command.IdempotencyKey;
        if (key is not null && await store.FindOutcomeAsync(command.AuctionId, command.BidderId, key, cancellationToken) is { } earlier)
        {
            return await ReplayAsync(earlier, cancellationToken);
        }

        // Fast path: prices only rise and closing is final, so a cached "too low"/"closed" is still true.
        if (await cache.GetAsync(command.AuctionId, cancellationToken) is { } snap && CertainRejection(snap, command) is { } fast)
        {
            return key is null ? Rejected(fast, null) : await RejectAsync(command, key, fast, null, cancellationToken);
        }

        var state = await store.GetAuctionAsync(command.AuctionId, cancellationToken);
        var request = new BidRequest(
            command.BidderId,
            command.BidderName,
            Money.FromCents(command.AmountCents),
            command.MaxAmountCents is { } m ? Money.FromCents(m) : null,
            key);

        for (var attempt = 0; attempt < Math.Max(1, options.MaxCommitAttempts); attempt++)
        {
            if (state is null)
            {
                return Rejected(new DomainError(ErrorCodes.NotFound, "No such auction."), null);
            }

            var now = time.GetUtcNow();
            var auction = Auction.Load(state, strategies.Get(state.Increment.Kind));
            var decision = auction.PlaceBid(request, now);
            if (decision.Error is { } error)
            {
                return key is null
                    ? Rejected(error, auction.ToView(now))
                    : await RejectAsync(command, key, error, auction.ToView(now), cancellationToken);
            }

            var outcome = key is null ? null : new BidOutcomeRecord(command.AuctionId, command.BidderId, key, decision.Placed!.Seq, null, null, now);
            var result = await store.AppendAsync(
                new AuctionCommit(auction.State, auction.LoadedVersion, auction.PendingEvents, outcome, CommitDeadline.BeforeEnd),
                cancellationToken);
            switch (result.Status)
            {
                case AppendStatus.Committed:
                    await publisher.PublishAsync(auction.State, auction.PendingEvents, cancellationToken);
                    return new BidOutcome(decision.Placed, null, auction.ToView(now), auction.PendingEvents, false);
                case AppendStatus.VersionConflict:
                    state = result.Current; // re-decide on what won, without another read
                    continue;
                case AppendStatus.DeadlineMissed:
                    var closed = new DomainError(ErrorCodes.AuctionClosed, "The auction has ended.");
                    var view = result.Current is null ? null : View(result.Current);
                    return key is null ? Rejected(closed, view) : await RejectAsync(command, key, closed, view, cancellationToken);
                case AppendStatus.DuplicateKey:
                    return await ReplayAsync(result.ExistingOutcome!, cancellationToken);
                default:
                    state = null;
                    continue;
            }
        }

        // Not remembered under the key: a retry may well succeed.
        return Rejected(new DomainError(ErrorCodes.Concurrency, "Too many concurrent bids; please retry."), state is null ? null : View(state));
    }

    private DomainError? Validate(PlaceBidCommand c)
    {
        if (c.AmountCents <= 0 || c.AmountCents > options.MaxAmountCents)
        {
            return new(ErrorCodes.InvalidAmount, $"amount_cents must be between 1 and {options.MaxAmountCents}.");
        }

        if (c.MaxAmountCents is { } max && (max < c.AmountCents || max > options.MaxAmountCents))
        {
            return new(ErrorCodes.InvalidAmount, $"max_amount_cents must be between amount_cents and {options.MaxAmountCents}.");
        }

        if (c.IdempotencyKey is { Length: > 0 } key && key.Length > options.MaxIdempotencyKeyLength)
        {
            return new(ErrorCodes.ValidationFailed, $"idempotency_key must be at most {options.MaxIdempotencyKeyLength} characters.");
        }

        return null;
    }

    private static DomainError? CertainRejection(AuctionSnapshot snap, PlaceBidCommand c)
    {
        if (snap.Status is AuctionStatus.Closed or AuctionStatus.Cancelled)
        {
            return new(ErrorCodes.AuctionClosed, snap.Status == AuctionStatus.Cancelled ? "The auction was cancelled." : "The auction has closed.");
        }

        var buyNow = snap.BuyNowPriceCents is { } b && c.AmountCents >= b;
        return !buyNow && c.AmountCents < snap.MinNextBidCents
            ? new(ErrorCodes.BidTooLow, $"The minimum bid is {snap.MinNextBidCents} cents.")
            : null;
    }

    private async Task<BidOutcome> RejectAsync(PlaceBidCommand c, string key, DomainError error, AuctionView? view, CancellationToken ct)
    {
        var stands = await store.RecordRejectionAsync(
            new BidOutcomeRecord(c.AuctionId, c.BidderId, key, null, error.Code, error.Message, time.GetUtcNow()), ct);
        // A racing request with the same key may have recorded first: its outcome is the one that stands.
        return !stands.Accepted && stands.ErrorCode == error.Code && stands.ErrorMessage == error.Message
            ? Rejected(error, view)
            : await ReplayAsync(stands, ct);
    }

    private async Task<BidOutcome> ReplayAsync(BidOutcomeRecord earlier, CancellationToken ct)
    {
        var state = await store.GetAuctionAsync(earlier.AuctionId, ct);
        var view = state is null ? null : View(state);
        if (!earlier.Accepted)
        {
            return new BidOutcome(null, new DomainError(earlier.ErrorCode!, earlier.ErrorMessage ?? ""), view, [], true);
        }

        var events = await store.GetEventsAsync(earlier.AuctionId, earlier.Seq!.Value - 1, 1, ct);
        var placed = events.Count == 1 ? events[0] as BidPlaced : null;
        return placed is null
            ? throw new InvalidOperationException($"The store lost the bid with seq {earlier.Seq} of auction {earlier.AuctionId}.")
            : new BidOutcome(placed, null, view, [], true);
    }

    private AuctionView View(AuctionState state) =>
        Auction.Load(state, strategies.Get(state.Increment.Kind)).ToView(time.GetUtcNow());

    private static BidOutcome Rejected(DomainError error, AuctionView? view) => new(null, error, view, [], false);
}

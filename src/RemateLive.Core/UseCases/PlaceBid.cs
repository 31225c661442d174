using System.Collections.Concurrent;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;
using RemateLive.Sequencing;

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

/// <summary>The leader raises their secret maximum without bidding (amount still raw).</summary>
/// <param name="AuctionId">The auction.</param>
/// <param name="BidderId">The authenticated bidder (must be the leader).</param>
/// <param name="BidderName">Their display name.</param>
/// <param name="MaxAmountCents">The new maximum: above the current one.</param>
/// <param name="IdempotencyKey">Optional key for exactly-once retries (shared with bids' keys).</param>
public sealed record RaiseMaximumCommand(
    AuctionId AuctionId,
    UserId BidderId,
    string BidderName,
    long MaxAmountCents,
    string? IdempotencyKey = null);

/// <summary>What happened to a bid.</summary>
/// <param name="Placed">The bidder's accepted bid, or null when rejected.</param>
/// <param name="Error">Why it was rejected.</param>
/// <param name="Auction">The auction's public state after the decision (null when not found).</param>
/// <param name="Committed">Every event this call committed (empty for a replayed outcome or a rejection).</param>
/// <param name="Replayed">True when the outcome was the stored first outcome of the idempotency key.</param>
public sealed record BidOutcome(BidPlaced? Placed, DomainError? Error, AuctionView? Auction, IReadOnlyList<AuctionEvent> Committed, bool Replayed)
{
    /// <summary>The leader's raised maximum, for <see cref="PlaceBid.RaiseMaximumAsync"/> when the price did not move.</summary>
    public MaximumRaised? Raised { get; init; }

    /// <summary>Whether the bid (or the raise) stands.</summary>
    public bool Accepted => Placed is not null || Raised is not null;
}

/// <summary>
/// Places a bid: validates the input, gives the bidder their paddle number on the auction (assigned on the
/// first bid, then remembered on this node), then hands the bid to the auction's single writer
/// (<see cref="AuctionSequencer"/>), which decides it in arrival order and answers once it is durable.
/// </summary>
public sealed class PlaceBid(AuctionSequencer sequencer, IAuctionStore store, BiddingOptions options)
{
    // Paddles never change once assigned, so a node may remember them; bounded by clearing when full.
    private const int MaxRememberedPaddles = 100_000;
    private readonly ConcurrentDictionary<(AuctionId, UserId), int> _paddles = new();

    /// <summary>Validates, decides, commits and announces the bid.</summary>
    public Task<BidOutcome> ExecuteAsync(PlaceBidCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        return SubmitAsync(command, raisesMaximumOnly: false, cancellationToken);
    }

    /// <summary>
    /// Raises the leader's secret maximum without moving the price, through the same writer, validation and
    /// idempotency as bids: <see cref="BidOutcome.Raised"/> on success (or <see cref="BidOutcome.Placed"/> when
    /// the new maximum lifted the price to an unmet reserve), <c>NOT_LEADING</c> / <c>MAX_TOO_LOW</c> otherwise.
    /// </summary>
    public Task<BidOutcome> RaiseMaximumAsync(RaiseMaximumCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var asBid = new PlaceBidCommand(command.AuctionId, command.BidderId, command.BidderName, command.MaxAmountCents, command.MaxAmountCents, null, command.IdempotencyKey);
        return SubmitAsync(asBid, raisesMaximumOnly: true, cancellationToken);
    }

    private async Task<BidOutcome> SubmitAsync(PlaceBidCommand command, bool raisesMaximumOnly, CancellationToken cancellationToken)
    {
        if (Validate(command) is { } invalid)
        {
            return new BidOutcome(null, invalid, null, [], false);
        }

        if (await PaddleAsync(command.AuctionId, command.BidderId, cancellationToken) is not { } paddle)
        {
            return new BidOutcome(null, new DomainError(ErrorCodes.NotFound, "No such auction."), null, [], false);
        }

        var request = new BidRequest(
            command.BidderId,
            command.BidderName,
            Money.FromCents(command.AmountCents),
            command.MaxAmountCents is { } m ? Money.FromCents(m) : null,
            string.IsNullOrEmpty(command.IdempotencyKey) ? null : command.IdempotencyKey,
            paddle,
            raisesMaximumOnly);

        // Once queued the bid is decided even if the caller stops waiting, like a request that reached the server.
        return await sequencer.SubmitAsync(new BidCommand(command.AuctionId, request)).WaitAsync(cancellationToken);
    }

    private async ValueTask<int?> PaddleAsync(AuctionId auctionId, UserId bidderId, CancellationToken cancellationToken)
    {
        if (_paddles.TryGetValue((auctionId, bidderId), out var known))
        {
            return known;
        }

        var paddle = await store.AssignPaddleAsync(auctionId, bidderId, cancellationToken);
        if (paddle is { } assigned)
        {
            if (_paddles.Count >= MaxRememberedPaddles)
            {
                _paddles.Clear();
            }

            _paddles[(auctionId, bidderId)] = assigned;
        }

        return paddle;
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
}

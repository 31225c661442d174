using System.Diagnostics;
using RemateLive.Domain;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.Sequencing;

/// <summary>A command queued for one auction's writer; completed once its batch is durable (or failed).</summary>
internal abstract class WriterCommand
{
    /// <summary>The caller's span (e.g. a bid's receive), so the writer's batch span joins its trace; default when untraced.</summary>
    public ActivityContext TraceContext { get; } = Activity.Current?.Context ?? default;

    /// <summary>Fails the caller: the store threw, so nothing is acknowledged.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Answers without deciding (queue full, node stopping, no such auction, too many conflicts).</summary>
    public abstract void Refuse(DomainError error, AuctionView? view);
}

/// <summary>A bid on an auction, with its parsed request.</summary>
internal sealed class BidCommand(AuctionId auctionId, BidRequest request) : WriterCommand
{
    private readonly TaskCompletionSource<BidOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AuctionId AuctionId { get; } = auctionId;

    public BidRequest Request { get; } = request;

    /// <summary>The idempotency key, when the bidder gave one.</summary>
    public string? Key => Request.IdempotencyKey;

    public Task<BidOutcome> Completion => _done.Task;

    /// <summary>The stored first outcome of this bid's key, when the store reported the key as a duplicate.</summary>
    public BidOutcomeRecord? StoredOutcome { get; set; }

    public void Answer(BidOutcome outcome) => _done.TrySetResult(outcome);

    public override void Fail(Exception error) => _done.TrySetException(error);

    public override void Refuse(DomainError error, AuctionView? view) => _done.TrySetResult(new BidOutcome(null, error, view, [], false));
}

/// <summary>An admin close or cancel, or the closer's timed close.</summary>
internal sealed class EndCommand(Func<Auction, DateTimeOffset, DomainError?> decide, bool timed) : WriterCommand
{
    private readonly TaskCompletionSource<EndAuctionResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Closes or cancels the auction, or says why not.</summary>
    public Func<Auction, DateTimeOffset, DomainError?> Decide { get; } = decide;

    /// <summary>A timed close: must commit after <c>ends_at</c> by the store's clock, so it never shares a batch with bids.</summary>
    public bool Timed { get; } = timed;

    public Task<EndAuctionResult> Completion => _done.Task;

    public void Answer(EndAuctionResult result) => _done.TrySetResult(result);

    public override void Fail(Exception error) => _done.TrySetException(error);

    public override void Refuse(DomainError error, AuctionView? view) => _done.TrySetResult(new EndAuctionResult(view, error));
}

using RemateLive.Domain;
using RemateLive.Sequencing;

namespace RemateLive.UseCases;

/// <summary>The auction after a close or cancel, or why it did not happen.</summary>
public sealed record EndAuctionResult(AuctionView? Auction, DomainError? Error)
{
    /// <summary>Whether this call ended the auction.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>Closes an auction: at its deadline (the closer), by an admin. Exactly once, however many closers race.</summary>
public sealed class CloseAuction(AuctionSequencer sequencer)
{
    /// <summary>Closes <paramref name="id"/> for <paramref name="reason"/> (<see cref="CloseReason.Ended"/> only once due by the store's clock).</summary>
    public Task<EndAuctionResult> ExecuteAsync(AuctionId id, CloseReason reason, CancellationToken cancellationToken) =>
        ExecuteAsync(id, reason, actor: null, cancellationToken);

    /// <summary>Closes <paramref name="id"/>, recording <paramref name="actor"/> (the admin) on the close event.</summary>
    public Task<EndAuctionResult> ExecuteAsync(AuctionId id, CloseReason reason = CloseReason.Admin, AuctionActor? actor = null, CancellationToken cancellationToken = default) =>
        sequencer.SubmitAsync(id, new EndCommand((auction, now) => auction.Close(reason, now, actor), timed: reason == CloseReason.Ended)).WaitAsync(cancellationToken);
}

/// <summary>Cancels an auction (admin).</summary>
public sealed class CancelAuction(AuctionSequencer sequencer)
{
    /// <summary>Cancels <paramref name="id"/>, giving <paramref name="reason"/> to bidders.</summary>
    public Task<EndAuctionResult> ExecuteAsync(AuctionId id, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(id, reason, actor: null, cancellationToken);

    /// <summary>Cancels <paramref name="id"/>, recording <paramref name="actor"/> (the admin) on the cancel event.</summary>
    public Task<EndAuctionResult> ExecuteAsync(AuctionId id, string reason, AuctionActor? actor = null, CancellationToken cancellationToken = default)
    {
        var text = string.IsNullOrWhiteSpace(reason) ? "Cancelled by an admin." : reason.Trim();
        return sequencer.SubmitAsync(id, new EndCommand((auction, now) => auction.Cancel(text, now, actor), timed: false)).WaitAsync(cancellationToken);
    }
}

using RemateLive.Domain;
using RemateLive.Sales;

namespace RemateLive.Sequencing;

/// <summary>One command for a sale's writer (a bid, an auctioneer action, an absentee bid); completed once its batch is durable.</summary>
internal sealed class SaleCommand(Func<Sale, DateTimeOffset, DomainError?> decide)
{
    private readonly TaskCompletionSource<SaleCommandResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Applies the command to the aggregate, or says why not.</summary>
    public Func<Sale, DateTimeOffset, DomainError?> Decide { get; } = decide;

    public Task<SaleCommandResult> Completion => _done.Task;

    public void Answer(SaleCommandResult result) => _done.TrySetResult(result);

    public void Fail(Exception error) => _done.TrySetException(error);

    public void Refuse(DomainError error, SaleState? state) => _done.TrySetResult(new SaleCommandResult(error, state, []));
}

/// <summary>
/// How a sale command ended: an error (nothing changed) or success, with the state after its batch and the
/// events this command raised.
/// </summary>
public sealed record SaleCommandResult(DomainError? Error, SaleState? State, IReadOnlyList<SaleEvent> Events)
{
    /// <summary>Whether the command was applied.</summary>
    public bool Succeeded => Error is null;
}

using RemateLive.Sales;

namespace RemateLive.Ports;

/// <summary>
/// The storage port of live sales, separate from <see cref="IAuctionStore"/> so auction-only stores keep
/// compiling. Every write is one atomic compare-and-set on the sale's version; an adapter must pass
/// <c>SaleStoreComplianceTests</c> (RemateLive.Testing). Infrastructure failures surface as exceptions.
/// </summary>
public interface ISaleStore
{
    /// <summary>Stores a new sale (version 0, seq 0). Throws if the id exists.</summary>
    Task CreateSaleAsync(SaleState sale, CancellationToken cancellationToken = default);

    /// <summary>The sale's latest committed state, or null.</summary>
    Task<SaleState?> GetSaleAsync(SaleId id, CancellationToken cancellationToken = default);

    /// <summary>Every sale, soonest-starting first.</summary>
    Task<IReadOnlyList<SaleState>> ListSalesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits one batch of a sale writer's decisions — the new state and its events — only if the stored
    /// version is still <see cref="SaleCommit.ExpectedVersion"/>. All or nothing.
    /// </summary>
    Task<SaleAppendResult> AppendAsync(SaleCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Events with <c>seq &gt; afterSeq</c>, in seq order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SaleEvent>> GetEventsAsync(SaleId saleId, long afterSeq, int limit, CancellationToken cancellationToken = default);
}

/// <summary>One batch to commit: <see cref="State"/> (version <c>ExpectedVersion + 1</c>) and its events (seq after the stored seq, gap-free; may be empty).</summary>
public sealed record SaleCommit(SaleState State, long ExpectedVersion, IReadOnlyList<SaleEvent> Events)
{
    /// <summary>Throws <see cref="ArgumentException"/> unless the version moves by one and the events are this sale's and follow <paramref name="storedSeq"/> to the state's seq.</summary>
    public void ThrowIfMalformed(long storedSeq)
    {
        ArgumentNullException.ThrowIfNull(State);
        ArgumentNullException.ThrowIfNull(Events);
        if (State.Version != ExpectedVersion + 1)
        {
            throw new ArgumentException($"The new state's version {State.Version} must be {ExpectedVersion + 1}.");
        }

        var seq = storedSeq;
        foreach (var e in Events)
        {
            if (e.SaleId != State.Id || e.Seq != ++seq)
            {
                throw new ArgumentException($"Event seq {e.Seq} of sale {e.SaleId} does not follow seq {seq - 1} of sale {State.Id}.");
            }
        }

        if (State.Seq != seq)
        {
            throw new ArgumentException($"The new state's seq {State.Seq} must equal the last event's seq {seq}.");
        }
    }
}

/// <summary>How a sale append ended.</summary>
public enum SaleAppendStatus
{
    /// <summary>Stored.</summary>
    Committed,

    /// <summary>Another writer committed first; <see cref="SaleAppendResult.Current"/> is the stored state.</summary>
    VersionConflict,

    /// <summary>No such sale.</summary>
    NotFound,
}

/// <summary>The result of <see cref="ISaleStore.AppendAsync"/>.</summary>
public sealed record SaleAppendResult(SaleAppendStatus Status, SaleState? Current = null)
{
    /// <summary>Stored.</summary>
    public static SaleAppendResult Committed { get; } = new(SaleAppendStatus.Committed);

    /// <summary>No such sale.</summary>
    public static SaleAppendResult NotFound { get; } = new(SaleAppendStatus.NotFound);
}

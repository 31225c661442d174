using System.Collections.Concurrent;
using RemateLive.Ports;
using RemateLive.Sales;

namespace RemateLive.InMemory;

/// <summary>The embedded <see cref="ISaleStore"/>: one lock per sale makes each append an exact compare-and-set.</summary>
internal sealed class InMemorySaleStore : ISaleStore
{
    private readonly ConcurrentDictionary<SaleId, Entry> _sales = new();

    /// <inheritdoc/>
    public Task CreateSaleAsync(SaleState sale, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sale);
        if (sale.Version != 0 || sale.Seq != 0)
        {
            throw new ArgumentException("A new sale starts at version 0 and seq 0.", nameof(sale));
        }

        if (!_sales.TryAdd(sale.Id, new Entry(sale)))
        {
            throw new InvalidOperationException($"Sale {sale.Id} already exists.");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<SaleState?> GetSaleAsync(SaleId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_sales.TryGetValue(id, out var e) ? e.State : null);

    /// <inheritdoc/>
    public Task<IReadOnlyList<SaleState>> ListSalesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SaleState>>([.. _sales.Values.Select(e => e.State).OrderBy(s => s.StartsAt).ThenBy(s => s.Id.Value)]);

    /// <inheritdoc/>
    public Task<SaleAppendResult> AppendAsync(SaleCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (!_sales.TryGetValue(commit.State.Id, out var entry))
        {
            return Task.FromResult(SaleAppendResult.NotFound);
        }

        lock (entry)
        {
            if (entry.State.Version != commit.ExpectedVersion)
            {
                return Task.FromResult(new SaleAppendResult(SaleAppendStatus.VersionConflict, entry.State));
            }

            commit.ThrowIfMalformed(entry.State.Seq);
            entry.Events.AddRange(commit.Events);
            entry.State = commit.State;
        }

        return Task.FromResult(SaleAppendResult.Committed);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SaleEvent>> GetEventsAsync(SaleId saleId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0 || !_sales.TryGetValue(saleId, out var entry))
        {
            return Task.FromResult<IReadOnlyList<SaleEvent>>([]);
        }

        lock (entry)
        {
            var start = (int)Math.Clamp(afterSeq, 0, entry.Events.Count);
            return Task.FromResult<IReadOnlyList<SaleEvent>>(entry.Events.GetRange(start, Math.Min(limit, entry.Events.Count - start)));
        }
    }

    private sealed class Entry(SaleState state)
    {
        public SaleState State { get; set; } = state;

        public List<SaleEvent> Events { get; } = [];
    }
}

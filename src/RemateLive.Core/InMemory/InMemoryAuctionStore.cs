using System.Collections.Concurrent;
using RemateLive.Catalogue;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Ports;

namespace RemateLive.InMemory;

/// <summary>
/// The embedded store: everything in process memory, one lock per auction, so it is exact under
/// concurrency (many threads bidding on one auction) but forgets everything on restart.
/// </summary>
internal sealed class InMemoryAuctionStore(TimeProvider time) : IAuctionStore
{
    private static readonly Task<AppendResult> Committed = Task.FromResult(AppendResult.Committed);
    private readonly ConcurrentDictionary<AuctionId, Entry> _auctions = new();
    private readonly ConcurrentDictionary<(AuctionId, UserId, string), BidOutcomeRecord> _outcomes = new();

    /// <inheritdoc/>
    public Task CreateAuctionAsync(AuctionState auction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auction);
        if (auction.Version != 0)
        {
            throw new ArgumentException("A new auction starts at version 0.", nameof(auction));
        }

        return _auctions.TryAdd(auction.Id, new Entry(auction))
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Auction {auction.Id} already exists.");
    }

    /// <inheritdoc/>
    public Task<AuctionState?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_auctions.TryGetValue(id, out var e) ? e.State : null);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuctionState>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuctionState>>(
            [.. _auctions.Values.Select(e => e.State).Where(s => status is null || s.Status == status).OrderBy(s => s.EndsAt).ThenBy(s => s.Id.Value)]);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuctionState>> SearchAuctionsAsync(AuctionSearch search, CancellationToken cancellationToken = default) =>
        Task.FromResult(AuctionCatalogue.Apply(_auctions.Values.Select(e => e.State), search));

    /// <inheritdoc/>
    public Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        CommitRules.ThrowIfMalformed(commit);
        if (!_auctions.TryGetValue(commit.State.Id, out var entry))
        {
            return Task.FromResult(AppendResult.NotFound);
        }

        // The entry's lock covers outcomes too: every outcome of an auction is written under it.
        lock (entry)
        {
            var current = entry.State;
            if (commit.Events.Count > 0)
            {
                if (current.Version != commit.ExpectedVersion)
                {
                    return Task.FromResult(new AppendResult(AppendStatus.VersionConflict, current));
                }

                var now = time.GetUtcNow();
                var missed = commit.Deadline switch
                {
                    CommitDeadline.BeforeEnd => now >= current.EndsAt,
                    CommitDeadline.AfterEnd => now < current.EndsAt,
                    _ => false,
                };
                if (missed)
                {
                    return Task.FromResult(new AppendResult(AppendStatus.DeadlineMissed, current));
                }

                if (current.Status is AuctionStatus.Closed or AuctionStatus.Cancelled)
                {
                    throw new InvalidOperationException($"Auction {current.Id} is final; nothing may be appended.");
                }
            }

            List<BidOutcomeRecord>? duplicates = null;
            foreach (var o in commit.Outcomes)
            {
                if (_outcomes.TryGetValue((o.AuctionId, o.UserId, o.IdempotencyKey), out var existing))
                {
                    (duplicates ??= []).Add(existing);
                }
            }

            if (duplicates is not null)
            {
                return Task.FromResult(new AppendResult(AppendStatus.DuplicateKey, current, duplicates));
            }

            foreach (var o in commit.Outcomes)
            {
                _outcomes[(o.AuctionId, o.UserId, o.IdempotencyKey)] = o;
            }

            foreach (var e in commit.Events)
            {
                entry.Events.Add(e);
                if (e is BidPlaced placed)
                {
                    entry.Bids.Add(placed.Bid);
                }
            }

            if (commit.Events.Count > 0)
            {
                entry.State = commit.State;
            }
        }

        return Committed;
    }

    /// <inheritdoc/>
    public Task<int> PruneOutcomesAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var pruned = 0;
        foreach (var (key, outcome) in _outcomes)
        {
            if (outcome.CreatedAt < before && _auctions.TryGetValue(key.Item1, out var entry))
            {
                lock (entry) // outcomes of an auction change under its lock
                {
                    pruned += _outcomes.TryRemove(new KeyValuePair<(AuctionId, UserId, string), BidOutcomeRecord>(key, outcome)) ? 1 : 0;
                }
            }
        }

        return Task.FromResult(pruned);
    }

    /// <inheritdoc/>
    public Task<int?> AssignPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default)
    {
        if (!_auctions.TryGetValue(auctionId, out var entry))
        {
            return Task.FromResult<int?>(null);
        }

        lock (entry)
        {
            if (!entry.Paddles.TryGetValue(userId, out var paddle))
            {
                entry.Paddles[userId] = paddle = entry.Paddles.Count + 1;
            }

            return Task.FromResult<int?>(paddle);
        }
    }

    /// <inheritdoc/>
    public Task<int?> FindPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default)
    {
        if (!_auctions.TryGetValue(auctionId, out var entry))
        {
            return Task.FromResult<int?>(null);
        }

        lock (entry)
        {
            return Task.FromResult<int?>(entry.Paddles.TryGetValue(userId, out var paddle) ? paddle : null);
        }
    }

    /// <inheritdoc/>
    public Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(_outcomes.TryGetValue((auctionId, userId, idempotencyKey), out var o) ? o : null);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (!_auctions.TryGetValue(auctionId, out var entry))
        {
            return Task.FromResult<IReadOnlyList<AuctionEvent>>([]);
        }

        lock (entry)
        {
            // seq n sits at index n-1: events are gap-free from 1.
            var start = (int)Math.Clamp(afterSeq, 0, entry.Events.Count);
            var count = Math.Clamp(limit, 0, entry.Events.Count - start);
            return Task.FromResult<IReadOnlyList<AuctionEvent>>(entry.Events.GetRange(start, count));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (!_auctions.TryGetValue(auctionId, out var entry))
        {
            return Task.FromResult<IReadOnlyList<Bid>>([]);
        }

        lock (entry)
        {
            var result = new List<Bid>(Math.Min(Math.Max(limit, 0), entry.Bids.Count));
            for (var i = entry.Bids.Count - 1; i >= 0 && result.Count < limit; i--)
            {
                if (beforeSeq is null || entry.Bids[i].Seq < beforeSeq)
                {
                    result.Add(entry.Bids[i]);
                }
            }

            return Task.FromResult<IReadOnlyList<Bid>>(result);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<BidderAuction>> GetBidderAuctionsAsync(UserId bidder, int limit, CancellationToken cancellationToken = default)
    {
        var found = new List<BidderAuction>();
        foreach (var entry in _auctions.Values)
        {
            lock (entry)
            {
                Bid? highest = null;
                var last = DateTimeOffset.MinValue;
                foreach (var bid in entry.Bids)
                {
                    if (bid.BidderId == bidder)
                    {
                        highest = highest is null || bid.Amount > highest.Amount ? bid : highest;
                        last = bid.PlacedAt > last ? bid.PlacedAt : last;
                    }
                }

                if (highest is not null)
                {
                    found.Add(new BidderAuction(entry.State, highest.Amount, last));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<BidderAuction>>([.. found.OrderByDescending(f => f.LastBidAt).ThenBy(f => f.Auction.Id.Value).Take(limit)]);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuctionId>> GetDueAuctionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuctionId>>(
            [.. _auctions.Values
                .Select(e => e.State)
                .Where(s => s.Status is AuctionStatus.Open or AuctionStatus.Scheduled && s.EndsAt <= now)
                .OrderBy(s => s.EndsAt)
                .Take(limit)
                .Select(s => s.Id)]);

    private sealed class Entry(AuctionState state)
    {
        public AuctionState State { get; set; } = state;

        public List<AuctionEvent> Events { get; } = [];

        public List<Bid> Bids { get; } = [];

        public Dictionary<UserId, int> Paddles { get; } = [];
    }
}

using RemateLive.Domain;

namespace RemateLive;

/// <summary>Rules and limits of the bidding use cases (bound from <c>RemateLive:Bidding</c> by the ASP.NET Core package).</summary>
public sealed class BiddingOptions
{
    /// <summary>No amount may exceed this many cents (default 10^13).</summary>
    public long MaxAmountCents { get; set; } = Money.DefaultCeilingCents;

    /// <summary>How many times a batch is re-decided after losing to another node's commit before <c>CONCURRENCY</c>.</summary>
    public int MaxCommitAttempts { get; set; } = 10;

    /// <summary>Commands one auction's writer may hold queued; past it a bid is answered <c>RATE_LIMITED</c> at once.</summary>
    public int WriterQueueCapacity { get; set; } = 1_000;

    /// <summary>Most commands an auction's writer decides and commits in one store call.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>How long an auction's writer keeps its state after its last command before it is dropped.</summary>
    public TimeSpan WriterIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the closer looks for due auctions.</summary>
    public TimeSpan CloserInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the feed compares watched auctions with the store to fill gaps left by a lossy bus.</summary>
    public TimeSpan GapCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the outcome of an idempotency key is kept (default 24 h): a retry within it gets the first
    /// outcome; after it the key is forgotten. Far longer than any client's retry window.
    /// </summary>
    public TimeSpan OutcomeRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired outcomes are pruned (default 10 min).</summary>
    public TimeSpan OutcomePruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest accepted idempotency key.</summary>
    public int MaxIdempotencyKeyLength { get; set; } = 128;
}

using RemateLive.Domain;

namespace RemateLive;

/// <summary>Rules and limits of the bidding use cases (bound from <c>RemateLive:Bidding</c> by the ASP.NET Core package).</summary>
public sealed class BiddingOptions
{
    /// <summary>No amount may exceed this many cents (default 10^13).</summary>
    public long MaxAmountCents { get; set; } = Money.DefaultCeilingCents;

    /// <summary>How many times a bid is re-decided after losing an optimistic-concurrency race before <c>CONCURRENCY</c>.</summary>
    public int MaxCommitAttempts { get; set; } = 10;

    /// <summary>How often the closer looks for due auctions.</summary>
    public TimeSpan CloserInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the feed compares watched auctions with the store to fill gaps left by a lossy bus.</summary>
    public TimeSpan GapCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest accepted idempotency key.</summary>
    public int MaxIdempotencyKeyLength { get; set; } = 128;
}

using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.InMemory;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>A store that fails mid-bid yields bid_error UNAVAILABLE — never a false ack — and the connection keeps serving.</summary>
public sealed class StoreFailureTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync(adapters: b => b.UseStore<FailingStore>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_failing_store_gives_bid_error_unavailable_and_the_next_bid_works()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        await using var alice = await _host.JoinAsync(auctionId, "alice");

        FailingStore.FailAppends = true;
        try
        {
            await alice.BidAsync(1_000, idempotencyKey: "k");
            var error = await alice.NextNonPingAsync();
            Assert.Equal("bid_error", error.Type());
            Assert.Equal("UNAVAILABLE", error.Str("code"));
            Assert.Equal("k", error.Str("idempotency_key"));
        }
        finally
        {
            FailingStore.FailAppends = false;
        }

        await alice.BidAsync(1_000, idempotencyKey: "k");
        Assert.Equal(1, (await alice.NextAsync("bid_placed")).Seq());
        Assert.DoesNotContain(alice.Received, m => m.Type() == "bid_placed" && m.Seq() != 1);
    }

    /// <summary>The in-memory store whose appends can be made to throw.</summary>
    internal sealed class FailingStore(TimeProvider time) : IAuctionStore
    {
        private readonly InMemoryAuctionStore _inner = new(time);

        public static volatile bool FailAppends;

        public Task<AppendResult> AppendAsync(AuctionCommit commit, CancellationToken cancellationToken = default) =>
            FailAppends ? throw new IOException("The store is down.") : _inner.AppendAsync(commit, cancellationToken);

        public Task CreateAuctionAsync(AuctionState auction, CancellationToken cancellationToken = default) => _inner.CreateAuctionAsync(auction, cancellationToken);

        public Task<AuctionState?> GetAuctionAsync(AuctionId id, CancellationToken cancellationToken = default) => _inner.GetAuctionAsync(id, cancellationToken);

        public Task<IReadOnlyList<AuctionState>> ListAuctionsAsync(AuctionStatus? status = null, CancellationToken cancellationToken = default) => _inner.ListAuctionsAsync(status, cancellationToken);

        public Task<BidOutcomeRecord?> FindOutcomeAsync(AuctionId auctionId, UserId userId, string idempotencyKey, CancellationToken cancellationToken = default) => _inner.FindOutcomeAsync(auctionId, userId, idempotencyKey, cancellationToken);

        public Task<int?> AssignPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default) => _inner.AssignPaddleAsync(auctionId, userId, cancellationToken);

        public Task<int?> FindPaddleAsync(AuctionId auctionId, UserId userId, CancellationToken cancellationToken = default) => _inner.FindPaddleAsync(auctionId, userId, cancellationToken);

        public Task<IReadOnlyList<AuctionEvent>> GetEventsAsync(AuctionId auctionId, long afterSeq, int limit, CancellationToken cancellationToken = default) => _inner.GetEventsAsync(auctionId, afterSeq, limit, cancellationToken);

        public Task<IReadOnlyList<Bid>> GetBidsAsync(AuctionId auctionId, long? beforeSeq, int limit, CancellationToken cancellationToken = default) => _inner.GetBidsAsync(auctionId, beforeSeq, limit, cancellationToken);

        public Task<IReadOnlyList<AuctionId>> GetDueAuctionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) => _inner.GetDueAuctionsAsync(now, limit, cancellationToken);
    }
}

using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

public sealed class InMemoryAuctionStoreComplianceTests : AuctionStoreComplianceTests
{
    protected override int ConcurrentBidCount => 500;

    protected override Task<IAuctionStore> CreateStoreAsync(TimeProvider time) =>
        Task.FromResult<IAuctionStore>(new InMemoryAuctionStore(time));
}

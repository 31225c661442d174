using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

public sealed class InMemoryAuctionCacheComplianceTests : AuctionCacheComplianceTests
{
    protected override Task<IAuctionCache> CreateCacheAsync() => Task.FromResult<IAuctionCache>(new InMemoryAuctionCache());
}

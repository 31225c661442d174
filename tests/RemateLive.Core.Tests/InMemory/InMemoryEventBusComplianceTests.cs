using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

public sealed class InMemoryEventBusComplianceTests : EventBusComplianceTests
{
    protected override Task<IAuctionEventBus> CreateBusAsync() => Task.FromResult<IAuctionEventBus>(new InMemoryEventBus());
}

using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

public sealed class InMemorySaleStoreComplianceTests : SaleStoreComplianceTests
{
    protected override Task<ISaleStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<ISaleStore>(new InMemorySaleStore());
}

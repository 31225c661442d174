using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

/// <summary>The user-store compliance kit against the in-memory adapter.</summary>
public sealed class InMemoryUserStoreComplianceTests : UserStoreComplianceTests
{
    protected override Task<IUserStore> CreateStoreAsync() => Task.FromResult<IUserStore>(new InMemoryUserStore());
}

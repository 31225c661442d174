using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

public sealed class InMemoryPresenceTrackerComplianceTests : PresenceTrackerComplianceTests
{
    protected override Task<IPresenceTracker> CreateTrackerAsync() => Task.FromResult<IPresenceTracker>(new InMemoryPresenceTracker());
}

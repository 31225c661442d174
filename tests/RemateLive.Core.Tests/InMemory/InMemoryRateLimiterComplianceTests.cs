using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Testing;

namespace RemateLive.Core.Tests.InMemory;

public sealed class InMemoryRateLimiterComplianceTests : RateLimiterComplianceTests
{
    protected override Task<IRateLimiter> CreateLimiterAsync(TimeProvider time) => Task.FromResult<IRateLimiter>(new InMemoryRateLimiter(time));
}

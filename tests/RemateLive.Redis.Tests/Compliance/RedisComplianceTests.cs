using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RemateLive.Ports;
using RemateLive.Redis.Internal;
using RemateLive.Testing;

namespace RemateLive.Redis.Tests.Compliance;

// Each test (a fresh class instance) uses its own key prefix; each bus/tracker its own multiplexer, like a node.
public sealed class RedisEventBusComplianceTests : EventBusComplianceTests
{
    private readonly string _prefix = TestRedis.NewPrefix("bus");
    private readonly List<RedisConnection> _connections = [];

    protected override Task<IAuctionEventBus> CreateBusAsync() => CreateNodeAsync();

    protected override Task<IAuctionEventBus> CreatePeerBusAsync(IAuctionEventBus first) => CreateNodeAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }
    }

    private async Task<IAuctionEventBus> CreateNodeAsync()
    {
        var connection = await TestRedis.ConnectAsync(_prefix);
        _connections.Add(connection);
        return new RedisEventBus(connection, TimeProvider.System, NullLogger<RedisEventBus>.Instance);
    }
}

public sealed class RedisPresenceTrackerComplianceTests : PresenceTrackerComplianceTests
{
    private RedisConnection? _connection;

    protected override async Task<IPresenceTracker> CreateTrackerAsync()
    {
        _connection = await TestRedis.ConnectAsync(TestRedis.NewPrefix("presence"));
        return new RedisPresenceTracker(_connection, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<RedisPresenceTracker>.Instance);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

public sealed class RedisRateLimiterComplianceTests : RateLimiterComplianceTests
{
    private RedisConnection? _connection;

    protected override async Task<IRateLimiter> CreateLimiterAsync(TimeProvider time)
    {
        _connection = await TestRedis.ConnectAsync(TestRedis.NewPrefix("ratelimit"));
        return new RedisRateLimiter(_connection, time, NullLogger<RedisRateLimiter>.Instance);
    }

    // The script runs on Redis' clock (TIME), so time has to pass for real.
    protected override Task AdvanceAsync(TimeSpan duration) => Task.Delay(duration);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

using RemateLive.Redis.Internal;

namespace RemateLive.Redis.Tests;

/// <summary>The connections one test class opens under its own key prefix, all disposed together.</summary>
internal sealed class RedisConnections(string prefixName) : IAsyncDisposable
{
    private readonly List<RedisConnection> _connections = [];

    public string Prefix { get; } = TestRedis.NewPrefix(prefixName);

    public RedisConnection First => _connections[0];

    public async Task<RedisConnection> ConnectAsync(string? configuration = null)
    {
        var connection = await TestRedis.ConnectAsync(Prefix, configuration: configuration);
        _connections.Add(connection);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }
    }
}

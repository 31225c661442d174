using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// The one multiplexer every Redis adapter of this node shares: the application's, or one connected on
/// first use with <c>abortConnect=false</c> (the node starts and works while Redis is down; the
/// multiplexer keeps reconnecting in the background).
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly bool _owned;
    private readonly ILogger _logger;

    public RedisConnection(IOptions<RemateRedisOptions> options, ILogger<RedisConnection> logger)
        : this(options.Value, logger, null)
    {
    }

    public RedisConnection(RemateRedisOptions options, ILogger<RedisConnection> logger, IConnectionMultiplexer? external)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        Options = options;
        Keys = new RedisKeys(options.KeyPrefix);
        _owned = external is null;
        _multiplexer = external is null
            ? new(ConnectAsync, LazyThreadSafetyMode.ExecutionAndPublication)
            : new(Task.FromResult(Watch(external)));
    }

    public RemateRedisOptions Options { get; }

    public RedisKeys Keys { get; }

    /// <summary>The multiplexer if it exists and is connected now; null means "degrade at once".</summary>
    public IConnectionMultiplexer? Connected
    {
        get
        {
            if (!_multiplexer.IsValueCreated)
            {
                _ = _multiplexer.Value; // start connecting for the next caller
                return null;
            }

            var task = _multiplexer.Value;
            return task.IsCompletedSuccessfully && task.Result.IsConnected ? task.Result : null;
        }
    }

    /// <summary>The shared multiplexer (connected or still trying).</summary>
    public Task<IConnectionMultiplexer> GetAsync() => _multiplexer.Value;

    public async ValueTask DisposeAsync()
    {
        if (_owned && _multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            await _multiplexer.Value.Result.DisposeAsync();
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var config = ConfigurationOptions.Parse(Options.Configuration ?? throw new InvalidOperationException("RemateLive.Redis needs a configuration string or a multiplexer."));
        config.AbortOnConnectFail = false;
        Options.ConfigureConnection?.Invoke(config);
        config.AbortOnConnectFail = false;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(config);
        if (!multiplexer.IsConnected)
        {
            RedisLog.StartedDisconnected(_logger, config.ToString(includePassword: false));
        }

        return Watch(multiplexer);
    }

    private IConnectionMultiplexer Watch(IConnectionMultiplexer multiplexer)
    {
        multiplexer.ConnectionFailed += (_, e) => RedisLog.ConnectionFailed(_logger, e.Exception, e.EndPoint?.ToString(), e.FailureType.ToString());
        multiplexer.ConnectionRestored += (_, e) => RedisLog.ConnectionRestored(_logger, e.EndPoint?.ToString());
        return multiplexer;
    }
}

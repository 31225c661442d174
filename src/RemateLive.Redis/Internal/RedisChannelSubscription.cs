using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// One channel's subscription, handled one message at a time in publish order (a
/// <see cref="ChannelMessageQueue"/>). Made at once when Redis is reachable; when it is not, retried every
/// second in the background (the feed's store check covers the meantime), and once made the multiplexer
/// renews it after every reconnect. Disposing unsubscribes.
/// </summary>
internal sealed class RedisChannelSubscription : IAsyncDisposable
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);
    private readonly RedisConnection _connection;
    private readonly RedisChannel _channel;
    private readonly Func<ChannelMessage, Task> _onMessage;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ChannelMessageQueue? _queue;
    private Task _retry = Task.CompletedTask;

    private RedisChannelSubscription(RedisConnection connection, RedisChannel channel, Func<ChannelMessage, Task> onMessage, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _channel = channel;
        _onMessage = onMessage;
        _time = time;
        _logger = logger;
    }

    public static async Task<RedisChannelSubscription> StartAsync(RedisConnection connection, RedisChannel channel, Func<ChannelMessage, Task> onMessage, TimeProvider time, ILogger logger)
    {
        var subscription = new RedisChannelSubscription(connection, channel, onMessage, time, logger);
        if (!await subscription.TryAttachAsync())
        {
            RedisLog.SubscribeDeferred(logger);
            subscription._retry = subscription.RetryAsync(subscription._stop.Token);
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _retry.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _gate.WaitAsync();
        try
        {
            if (_queue is not null)
            {
                await _queue.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            _gate.Release();
        }

        _stop.Dispose();
    }

    private async Task<bool> TryAttachAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_stop.IsCancellationRequested || _queue is not null)
            {
                return true;
            }

            _queue = await (await _connection.GetAsync()).GetSubscriber().SubscribeAsync(_channel);
            _queue.OnMessage(_onMessage);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RetryAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(RetryEvery, _time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!ct.IsCancellationRequested && await TryAttachAsync())
            {
                RedisLog.Subscribed(_logger);
                return;
            }
        }
    }
}

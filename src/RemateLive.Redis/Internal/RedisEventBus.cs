using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemateLive.Events;
using RemateLive.Ports;
using RemateLive.Serialization;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// Pub/sub between nodes: committed events (an array in <see cref="RemateJson"/> storage format, so one
/// commit travels as one message) on <c>{prefix}:events</c>, presence notices on <c>{prefix}:presence</c>.
/// Redis delivers one publisher's messages in order and a <see cref="ChannelMessageQueue"/> hands them
/// over one at a time, so each auction's events reach the feed in seq order unless a message is lost;
/// the feed fills such gaps from the store. Publishing while Redis is down fails at once (a slow Redis:
/// after <see cref="RemateRedisOptions.WriteTimeout"/>); the publisher logs it and the other nodes catch
/// up from the store.
/// </summary>
internal sealed class RedisEventBus(RedisConnection connection, TimeProvider time, ILogger<RedisEventBus> logger) : IAuctionEventBus
{
    public async ValueTask PublishAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var payload = BusEnvelope.Write(events, Activity.Current); // the publish span's context rides along
        await PublishAsync(connection.Keys.Events, payload, cancellationToken);
    }

    public async ValueTask PublishPresenceAsync(PresenceNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        await PublishAsync(connection.Keys.Presence, JsonSerializer.Serialize(notice, RemateJson.Options), cancellationToken);
    }

    /// <summary>
    /// Subscribes at once when Redis is reachable. When it is not, the node still starts: the subscription
    /// is retried every second in the background (the feed's store check covers the meantime), and once
    /// made the multiplexer renews it after every reconnect.
    /// </summary>
    public async ValueTask<IAsyncDisposable> SubscribeAsync(IAuctionBusHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, connection, time, logger, handler);
        if (!await subscription.TryAttachAsync())
        {
            RedisLog.SubscribeDeferred(logger);
            subscription.RetryInBackground();
        }

        return subscription;
    }

    private async Task PublishAsync(RedisChannel channel, string payload, CancellationToken cancellationToken)
    {
        var redis = connection.Connected
            ?? throw new InvalidOperationException("Redis is unreachable; message not published.");
        await redis.GetSubscriber().PublishAsync(channel, payload).WaitAsync(connection.Options.WriteTimeout, cancellationToken);
    }

    private static (AuctionEvent[] Events, ActivityContext Origin) ParseEvents(string json) => BusEnvelope.Read(json);

    private static async ValueTask DeliverEventsAsync(IAuctionBusHandler handler, (AuctionEvent[] Events, ActivityContext Origin) message)
    {
        using var activity = BusEnvelope.StartReceive(message.Origin, message.Events.Length);
        await handler.OnEventsAsync(message.Events);
    }

    private static PresenceNotice ParsePresence(string json) =>
        JsonSerializer.Deserialize<PresenceNotice>(json, RemateJson.Options) is { Username: not null } notice
            ? notice
            : throw new JsonException("Not a presence notice.");

    // A malformed message is dropped (a lost message is what the feed's gap fill is for); the node stays up.
    private async Task HandleAsync<T>(ChannelMessage message, Func<string, T> parse, Func<T, ValueTask> handle)
    {
        T value;
        try
        {
            value = parse(message.Message.ToString());
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
        {
            RedisLog.MalformedMessage(logger, ex, message.Channel.ToString());
            return;
        }

        try
        {
            await handle(value);
        }
        catch (Exception ex)
        {
            RedisLog.HandlerFailed(logger, ex, message.Channel.ToString());
        }
    }

    private sealed class Subscription(RedisEventBus bus, RedisConnection connection, TimeProvider time, ILogger logger, IAuctionBusHandler handler) : IAsyncDisposable
    {
        private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);
        private readonly CancellationTokenSource _stop = new();
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ChannelMessageQueue? _events;
        private ChannelMessageQueue? _presence;
        private Task _retry = Task.CompletedTask;

        public async Task<bool> TryAttachAsync()
        {
            await _gate.WaitAsync();
            try
            {
                if (_stop.IsCancellationRequested)
                {
                    return true;
                }

                var subscriber = (await connection.GetAsync()).GetSubscriber();
                if (_events is null)
                {
                    _events = await subscriber.SubscribeAsync(connection.Keys.Events);
                    _events.OnMessage(m => bus.HandleAsync(m, ParseEvents, e => DeliverEventsAsync(handler, e)));
                }

                if (_presence is null)
                {
                    _presence = await subscriber.SubscribeAsync(connection.Keys.Presence);
                    _presence.OnMessage(m => bus.HandleAsync(m, ParsePresence, handler.OnPresenceAsync));
                }

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

        public void RetryInBackground() => _retry = RetryAsync(_stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _retry.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _gate.WaitAsync();
            try
            {
                if (_events is not null)
                {
                    await _events.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                if (_presence is not null)
                {
                    await _presence.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
            finally
            {
                _gate.Release();
            }

            _stop.Dispose();
        }

        private async Task RetryAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(RetryEvery, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!ct.IsCancellationRequested && await TryAttachAsync())
                {
                    RedisLog.Subscribed(logger);
                    return;
                }
            }
        }
    }
}

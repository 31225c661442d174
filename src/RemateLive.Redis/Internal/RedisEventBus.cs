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
/// the feed fills such gaps from the store. Publishing while Redis is down fails fast (the publisher logs
/// it and the other nodes catch up from the store).
/// </summary>
internal sealed class RedisEventBus(RedisConnection connection, ILogger<RedisEventBus> logger) : IAuctionEventBus
{
    public async ValueTask PublishAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var payload = JsonSerializer.Serialize(events, RemateJson.Options);
        await PublishAsync(connection.Keys.Events, payload, cancellationToken);
    }

    public async ValueTask PublishPresenceAsync(PresenceNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        await PublishAsync(connection.Keys.Presence, JsonSerializer.Serialize(notice, RemateJson.Options), cancellationToken);
    }

    public async ValueTask<IAsyncDisposable> SubscribeAsync(IAuctionBusHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscriber = (await connection.GetAsync()).GetSubscriber();

        // The multiplexer remembers subscriptions and renews them after a reconnect; made while Redis is
        // down, they take effect once it is back.
        var events = await subscriber.SubscribeAsync(connection.Keys.Events);
        events.OnMessage(m => HandleAsync(m, ParseEvents, handler.OnEventsAsync));
        var presence = await subscriber.SubscribeAsync(connection.Keys.Presence);
        presence.OnMessage(m => HandleAsync(m, ParsePresence, handler.OnPresenceAsync));
        return new Subscription(events, presence);
    }

    private async Task PublishAsync(RedisChannel channel, string payload, CancellationToken cancellationToken)
    {
        var redis = connection.Connected
            ?? throw new InvalidOperationException("Redis is unreachable; message not published.");
        await redis.GetSubscriber().PublishAsync(channel, payload).WaitAsync(connection.Options.OperationTimeout, cancellationToken);
    }

    private static AuctionEvent[] ParseEvents(string json) =>
        JsonSerializer.Deserialize<AuctionEvent[]>(json, RemateJson.Options) is { Length: > 0 } events && events.All(e => e is not null)
            ? events
            : throw new JsonException("No events in the message.");

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

    private sealed class Subscription(ChannelMessageQueue events, ChannelMessageQueue presence) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await events.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await presence.UnsubscribeAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

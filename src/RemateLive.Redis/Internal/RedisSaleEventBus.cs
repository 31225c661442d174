using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemateLive.Ports;
using RemateLive.Sales;
using RemateLive.Serialization;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// Live-sale events between nodes on <c>{prefix}:sale-events</c>: one commit's events as one message (an
/// array in <see cref="RemateJson"/> storage format, the shape of the sale event log, so no absentee
/// maximum travels). Redis delivers one publisher's messages in order; a lost or malformed message is a
/// hole the <see cref="Feed.SaleFeed"/> fills from the store. Publishing while Redis is down fails at once
/// (a slow Redis: after <see cref="RemateRedisOptions.WriteTimeout"/>); the writer logs it and the other
/// nodes catch up from the store.
/// </summary>
internal sealed class RedisSaleEventBus(RedisConnection connection, TimeProvider time, ILogger<RedisSaleEventBus> logger) : ISaleEventBus
{
    public async ValueTask PublishAsync(IReadOnlyList<SaleEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var redis = connection.Connected
            ?? throw new InvalidOperationException("Redis is unreachable; sale events not published.");
        var payload = JsonSerializer.Serialize<IReadOnlyList<SaleEvent>>(events, RemateJson.Options);
        await redis.GetSubscriber().PublishAsync(connection.Keys.SaleEvents, payload).WaitAsync(connection.Options.WriteTimeout, cancellationToken);
    }

    public async ValueTask<IAsyncDisposable> SubscribeAsync(ISaleBusHandler handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return await RedisChannelSubscription.StartAsync(connection, connection.Keys.SaleEvents, m => HandleAsync(m, handler), time, logger);
    }

    // A malformed message is dropped (a lost message is what the feed's gap fill is for); the node stays up.
    private async Task HandleAsync(ChannelMessage message, ISaleBusHandler handler)
    {
        SaleEvent[] events;
        try
        {
            events = JsonSerializer.Deserialize<SaleEvent[]>(message.Message.ToString(), RemateJson.Options) is { Length: > 0 } parsed && parsed.All(e => e is not null)
                ? parsed
                : throw new JsonException("No sale events in the message.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
        {
            RedisLog.MalformedMessage(logger, ex, message.Channel.ToString());
            return;
        }

        try
        {
            await handler.OnEventsAsync(events);
        }
        catch (Exception ex)
        {
            RedisLog.HandlerFailed(logger, ex, message.Channel.ToString());
        }
    }
}

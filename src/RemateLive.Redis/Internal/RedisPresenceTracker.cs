using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.InMemory;
using RemateLive.Ports;
using StackExchange.Redis;

namespace RemateLive.Redis.Internal;

/// <summary>
/// Presence shared by every node. Per auction, a sorted set holds one entry per connection
/// (<c>user\nnode\nconnection</c>) scored by its expiry, and a hash counts each user's live entries;
/// online = the hash's size. Each node refreshes its own entries on a heartbeat; every script first
/// purges expired entries, so a killed node's users stop counting within
/// <see cref="RemateRedisOptions.PresenceEntryTimeToLive"/>. Expiry runs on the injected clock (nodes'
/// clocks must agree to well within that bound). While Redis is unreachable this node answers from its
/// own connections, and the next heartbeat after Redis returns puts them back.
/// </summary>
internal sealed class RedisPresenceTracker(RedisConnection connection, TimeProvider time, ILogger<RedisPresenceTracker> logger)
    : IPresenceTracker, IPresenceExpiry, IHostedService, IAsyncDisposable
{
    // Collects in `gone` the users whose last entry expired: the script that purges an entry is the only
    // one that sees it (atomic), so each departure is reported by exactly one node.
    private const string Purge =
        """
        local gone = {}
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        for _, m in ipairs(dead) do
          local user = string.match(m, '^([^\n]*)\n')
          if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
            redis.call('HDEL', KEYS[2], user)
            gone[#gone + 1] = user
          end
        end
        if #dead > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        end

        """;

    private const string Reply =
        """
        local reply = {changed, redis.call('HLEN', KEYS[2])}
        for _, u in ipairs(gone) do reply[#reply + 1] = u end
        return reply
        """;

    /// <summary>ARGV: now, expiry, key ttl (ms), members… → {first connection of a user?, online, expired users…}.</summary>
    private const string JoinScript = Purge +
        """
        local changed = 0
        for i = 4, #ARGV do
          if redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[i]) == 1 then
            local user = string.match(ARGV[i], '^([^\n]*)\n')
            if redis.call('HINCRBY', KEYS[2], user, 1) == 1 then
              changed = 1
            end
          end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        """ + "\n" + Reply;

    /// <summary>ARGV: now, members… → {last connection of a user?, online, expired users…}.</summary>
    private const string LeaveScript = Purge +
        """
        local changed = 0
        for i = 2, #ARGV do
          if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
            local user = string.match(ARGV[i], '^([^\n]*)\n')
            if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then
              redis.call('HDEL', KEYS[2], user)
              changed = 1
            end
          end
        end
        """ + "\n" + Reply;

    /// <summary>ARGV: now → {0, online, expired users…}.</summary>
    private const string CountScript = Purge + "local changed = 0\n" + Reply;

    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly InMemoryPresenceTracker _local = new();
    private readonly ConcurrentDictionary<AuctionId, ConcurrentDictionary<string, byte>> _mine = new();
    private readonly List<Func<PresenceExpired, Task>> _expiryHandlers = [];
    private ITimer? _heartbeat;
    private int _beating;
    private int _degraded;

    public async ValueTask<PresenceChange> JoinAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default)
    {
        var member = Member(username, connectionId);
        var local = await _local.JoinAsync(auctionId, username, connectionId, cancellationToken);
        _mine.GetOrAdd(auctionId, static _ => new()).TryAdd(member, 0);
        var result = await RunAsync(auctionId, JoinScript, [Now(), Expiry(), KeyTimeToLive(), member], cancellationToken);
        return result is null ? local : new PresenceChange((long)result[0] == 1, (long)result[1]);
    }

    public async ValueTask<PresenceChange> LeaveAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default)
    {
        var member = Member(username, connectionId);
        var local = await _local.LeaveAsync(auctionId, username, connectionId, cancellationToken);
        if (_mine.TryGetValue(auctionId, out var members))
        {
            members.TryRemove(member, out _);
        }

        var result = await RunAsync(auctionId, LeaveScript, [Now(), member], cancellationToken);
        return result is null ? local : new PresenceChange((long)result[0] == 1, (long)result[1]);
    }

    public async ValueTask<long> CountAsync(AuctionId auctionId, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(auctionId, CountScript, [Now()], cancellationToken);
        return result is null ? await _local.CountAsync(auctionId, cancellationToken) : (long)result[1];
    }

    /// <summary>Refreshes (or, after an outage, restores) this node's entries.</summary>
    internal async Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _beating, 1) == 1)
        {
            return; // the previous beat is still running
        }

        try
        {
            foreach (var (auctionId, members) in _mine)
            {
                if (members.IsEmpty)
                {
                    _mine.TryRemove(new KeyValuePair<AuctionId, ConcurrentDictionary<string, byte>>(auctionId, members));
                    continue;
                }

                foreach (var chunk in members.Keys.Chunk(500))
                {
                    await RunAsync(auctionId, JoinScript, [Now(), Expiry(), KeyTimeToLive(), .. chunk.Select(m => (RedisValue)m)], cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RedisLog.HeartbeatFailed(logger, ex);
        }
        finally
        {
            Volatile.Write(ref _beating, 0);
        }
    }

    public IDisposable OnUserExpired(Func<PresenceExpired, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_expiryHandlers)
        {
            _expiryHandlers.Add(handler);
        }

        return new Unsubscriber(this, handler);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var every = connection.Options.PresenceHeartbeatInterval;
        _heartbeat = time.CreateTimer(_ => _ = HeartbeatAsync(), null, every, every);
        return Task.CompletedTask;
    }

    /// <summary>Stops the heartbeat and removes this node's entries (a graceful stop needs no expiry).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopHeartbeatAsync();
        foreach (var (auctionId, members) in _mine)
        {
            foreach (var chunk in members.Keys.Chunk(500))
            {
                await RunAsync(auctionId, LeaveScript, [Now(), .. chunk.Select(m => (RedisValue)m)], cancellationToken);
            }
        }

        _mine.Clear();
    }

    public async ValueTask DisposeAsync() => await StopHeartbeatAsync();

    /// <summary>Stops refreshing without removing anything: what a killed node looks like to the others.</summary>
    internal async Task StopHeartbeatAsync()
    {
        if (Interlocked.Exchange(ref _heartbeat, null) is { } timer)
        {
            await timer.DisposeAsync();
        }
    }

    private async Task<RedisResult[]?> RunAsync(AuctionId auctionId, string script, RedisValue[] args, CancellationToken ct)
    {
        if (connection.Connected is not { } redis)
        {
            Degrade(null, auctionId);
            return null;
        }

        try
        {
            var result = await redis.GetDatabase()
                .ScriptEvaluateAsync(script, [connection.Keys.PresenceConnections(auctionId), connection.Keys.PresenceUsers(auctionId)], args)
                .WaitAsync(connection.Options.WriteTimeout, ct);
            Interlocked.Exchange(ref _degraded, 0);
            var reply = (RedisResult[])result!;
            if (reply.Length > 2)
            {
                _ = ReportExpiredAsync(auctionId, (long)reply[1], [.. reply.Skip(2).Select(u => (string)u!)]);
            }

            return reply;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Degrade(ex, auctionId);
            return null;
        }
    }

    // Off the caller's path (a join or heartbeat must not wait for the announcements).
    private async Task ReportExpiredAsync(AuctionId auctionId, long online, string[] users)
    {
        await Task.Yield();
        Func<PresenceExpired, Task>[] handlers;
        lock (_expiryHandlers)
        {
            handlers = [.. _expiryHandlers];
        }

        foreach (var user in users)
        {
            RedisLog.PresenceExpired(logger, user, auctionId, online);
            foreach (var handler in handlers)
            {
                try
                {
                    await handler(new PresenceExpired(auctionId, user, online));
                }
                catch (Exception ex)
                {
                    RedisLog.PresenceExpiryHandlerFailed(logger, ex, auctionId);
                }
            }
        }
    }

    private sealed class Unsubscriber(RedisPresenceTracker tracker, Func<PresenceExpired, Task> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (tracker._expiryHandlers)
            {
                tracker._expiryHandlers.Remove(handler);
            }
        }
    }

    private void Degrade(Exception? ex, AuctionId auctionId)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            RedisLog.PresenceUnavailable(logger, ex, auctionId);
        }
    }

    private string Member(string username, string connectionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        return $"{username.ToLowerInvariant().Replace('\n', ' ')}\n{_node}\n{connectionId}";
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long Expiry() => Now() + (long)connection.Options.PresenceEntryTimeToLive.TotalMilliseconds;

    // Keys of an auction nobody refreshes any more disappear on their own.
    private long KeyTimeToLive() => (long)(connection.Options.PresenceEntryTimeToLive.TotalMilliseconds * 2);
}

using Microsoft.Extensions.DependencyInjection;
using RemateLive.Domain;
using RemateLive.InMemory;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>A user whose presence expired (their node died) is announced as <c>user_left</c> with the corrected count.</summary>
public sealed class ExpiredPresenceTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync(adapters: b => b.UsePresence<ExpiringPresence>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_expired_user_is_announced_as_user_left_once_with_the_corrected_online_count()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        await using var ghost = await _host.JoinAsync(auctionId, "ghost"); // creates the account (display name from sign-in)
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        var tracker = (ExpiringPresence)_host.Services.GetRequiredService<IPresenceTracker>();

        await tracker.ExpireAsync(new PresenceExpired(auctionId, "ghost", 1));

        var left = await alice.NextAsync("user_left");
        Assert.Equal("ghost", left.Str("username"));
        Assert.Equal(1, left.Num("online_count"));
        Assert.False(string.IsNullOrEmpty(left.Str("display_name")));
    }

    /// <summary>The in-memory tracker plus a test-driven expiry report (what the Redis tracker does on a purge).</summary>
    internal sealed class ExpiringPresence : IPresenceTracker, IPresenceExpiry
    {
        private readonly InMemoryPresenceTracker _inner = new();
        private readonly List<Func<PresenceExpired, Task>> _handlers = [];

        public ValueTask<PresenceChange> JoinAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default) =>
            _inner.JoinAsync(auctionId, username, connectionId, cancellationToken);

        public ValueTask<PresenceChange> LeaveAsync(AuctionId auctionId, string username, string connectionId, CancellationToken cancellationToken = default) =>
            _inner.LeaveAsync(auctionId, username, connectionId, cancellationToken);

        public ValueTask<long> CountAsync(AuctionId auctionId, CancellationToken cancellationToken = default) => _inner.CountAsync(auctionId, cancellationToken);

        public IDisposable OnUserExpired(Func<PresenceExpired, Task> handler)
        {
            _handlers.Add(handler);
            return new Unsubscribe(() => _handlers.Remove(handler));
        }

        public async Task ExpireAsync(PresenceExpired expired)
        {
            Assert.Single(_handlers); // the host subscribed exactly once
            foreach (var handler in _handlers.ToArray())
            {
                await handler(expired);
            }
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}

using System.Net.WebSockets;
using RemateLive.Events;
using RemateLive.InMemory;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>A presence announcement that takes longer than the auth deadline must not close sockets that already authenticated.</summary>
public sealed class SlowPresenceTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync(adapters: b => b.UseEventBus<HeldPresenceBus>());

    public async Task DisposeAsync()
    {
        HeldPresenceBus.Release();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task An_authenticated_socket_outlives_the_auth_deadline_while_its_join_is_still_being_announced()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        HeldPresenceBus.Hold();

        await using var alice = await _host.JoinAsync(auctionId, "alice"); // auth_ok arrives; the announcement is held
        await HeldPresenceBus.Publishing.WaitAsync(TestSocket.Timeout);
        _host.Time.Advance(TimeSpan.FromSeconds(11)); // past AuthTimeout (10 s)
        HeldPresenceBus.Release();

        await alice.BidAsync(1_000);
        Assert.Equal(1, (await alice.NextAsync("bid_placed")).Seq());
        Assert.Equal(WebSocketState.Open, alice.Socket.State);
    }

    /// <summary>The in-memory bus whose presence publishing waits until a test releases it.</summary>
    internal sealed class HeldPresenceBus : IAuctionEventBus
    {
        private static TaskCompletionSource _released = Completed();
        private static TaskCompletionSource _publishing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly InMemoryEventBus _inner = new();

        /// <summary>Completes when a presence notice is waiting to be published.</summary>
        public static Task Publishing => _publishing.Task;

        public static void Hold()
        {
            _publishing = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public static void Release() => _released.TrySetResult();

        public ValueTask PublishAsync(IReadOnlyList<AuctionEvent> events, CancellationToken cancellationToken = default) =>
            _inner.PublishAsync(events, cancellationToken);

        public async ValueTask PublishPresenceAsync(PresenceNotice notice, CancellationToken cancellationToken = default)
        {
            _publishing.TrySetResult();
            await _released.Task;
            await _inner.PublishPresenceAsync(notice, cancellationToken);
        }

        public ValueTask<IAsyncDisposable> SubscribeAsync(IAuctionBusHandler handler, CancellationToken cancellationToken = default) =>
            _inner.SubscribeAsync(handler, cancellationToken);

        private static TaskCompletionSource Completed()
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.SetResult();
            return done;
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Increments;
using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.Core.Tests.Feed;

/// <summary>
/// Two nodes (each its own sale writers and feed) over one store and one bus: a commit on node A reaches
/// node B's listeners through the bus; the gap check is an hour away, so it cannot be what delivers.
/// </summary>
public sealed class SaleFeedBusTests : IAsyncLifetime
{
    private readonly InMemorySaleStore _store = new();
    private readonly BiddingOptions _options = new() { GapCheckInterval = TimeSpan.FromHours(1) };
    private readonly List<(SaleFeed Feed, LiveSales Sales)> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (feed, sales) in _nodes)
        {
            await sales.DisposeAsync();
            await feed.StopAsync(CancellationToken.None);
            feed.Dispose();
        }
    }

    [Fact]
    public async Task A_commit_on_one_node_reaches_the_other_nodes_listener_through_the_bus()
    {
        var bus = new InMemorySaleEventBus();
        var (_, a) = await NodeAsync(bus);
        var (feedB, _) = await NodeAsync(bus);
        var sale = await CreateAsync(a);
        var listener = new Listener();
        using var _ = feedB.Subscribe(sale.Id, 0, listener);

        Assert.True((await a.OpenLotAsync(sale.Id)).Succeeded);
        Assert.True((await a.SetAskingPriceAsync(sale.Id, Money.FromCents(1_500))).Succeeded);

        await listener.WaitForSeqAsync(2);
        Assert.Equal(["lot_opened", "asking_price"], listener.Events.Select(e => e.TypeName));
    }

    [Fact]
    public async Task A_message_the_bus_lost_is_filled_from_the_store_when_the_next_one_arrives()
    {
        var bus = new LossyBus();
        var (_, a) = await NodeAsync(bus);
        var (feedB, _) = await NodeAsync(bus);
        var sale = await CreateAsync(a);
        var listener = new Listener();
        using var _ = feedB.Subscribe(sale.Id, 0, listener);

        bus.DropNext = true;
        Assert.True((await a.OpenLotAsync(sale.Id)).Succeeded); // seq 1 never travels
        Assert.True((await a.SetAskingPriceAsync(sale.Id, Money.FromCents(1_500))).Succeeded);

        await listener.WaitForSeqAsync(2);
        Assert.Equal([1L, 2L], listener.Events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_failing_bus_does_not_fail_a_committed_command()
    {
        var (_, a) = await NodeAsync(new LossyBus { Throw = true });
        var sale = await CreateAsync(a);

        var result = await a.OpenLotAsync(sale.Id);

        Assert.True(result.Succeeded);
        Assert.Equal(1, (await _store.GetSaleAsync(sale.Id))!.Seq);
    }

    private async Task<(SaleFeed Feed, LiveSales Sales)> NodeAsync(ISaleEventBus bus)
    {
        var feed = new SaleFeed(_store, bus, _options, TimeProvider.System, NullLogger<SaleFeed>.Instance);
        await feed.StartAsync(CancellationToken.None);
        var sales = new LiveSales(_store, BidIncrementStrategies.BuiltIn, _options, TimeProvider.System, feed);
        _nodes.Add((feed, sales));
        return (feed, sales);
    }

    private static async Task<SaleState> CreateAsync(LiveSales sales)
    {
        var (sale, errors) = await sales.CreateAsync(new CreateSaleCommand(
            "Bus sale", "USD", IncrementRule.Fixed(100), DateTimeOffset.UtcNow, [new NewLot("Lot 1", 1_000), new NewLot("Lot 2", 2_000)], UserId.New()));
        Assert.Empty(errors);
        return sale!;
    }

    private sealed class Listener : ISaleFeedListener
    {
        private readonly List<SaleEvent> _events = [];

        public IReadOnlyList<SaleEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void OnEvents(IReadOnlyList<SaleEvent> events)
        {
            lock (_events)
            {
                _events.AddRange(events);
            }
        }

        public async Task WaitForSeqAsync(long seq)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (!Events.Any(e => e.Seq >= seq))
            {
                await Task.Delay(10, timeout.Token);
            }
        }
    }

    // An in-memory bus that can lose the next message, or fail every publish.
    private sealed class LossyBus : ISaleEventBus
    {
        private readonly InMemorySaleEventBus _inner = new();

        public bool DropNext { get; set; }

        public bool Throw { get; init; }

        public ValueTask PublishAsync(IReadOnlyList<SaleEvent> events, CancellationToken cancellationToken = default)
        {
            if (Throw)
            {
                throw new InvalidOperationException("The bus is down.");
            }

            if (DropNext)
            {
                DropNext = false;
                return ValueTask.CompletedTask;
            }

            return _inner.PublishAsync(events, cancellationToken);
        }

        public ValueTask<IAsyncDisposable> SubscribeAsync(ISaleBusHandler handler, CancellationToken cancellationToken = default) =>
            _inner.SubscribeAsync(handler, cancellationToken);
    }
}

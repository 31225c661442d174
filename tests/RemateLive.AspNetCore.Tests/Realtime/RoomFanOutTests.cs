using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>One feed subscription per room: catching up while bids keep coming loses and repeats nothing; each fan-out is measured.</summary>
public sealed class RoomFanOutTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Joining_with_last_seq_while_bids_are_committed_replays_then_continues_without_gaps_or_duplicates()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 100, incrementCents: 1);
        await using var watcher = await _host.JoinAsync(auctionId, "watcher"); // the room exists already
        var placeBid = _host.Services.GetRequiredService<PlaceBid>();
        var bidder = UserId.New();
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidder, "Robot", 100 + i))).Accepted);
        }

        var bidding = Task.Run(async () =>
        {
            for (var i = 20; i < 60; i++)
            {
                Assert.True((await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidder, "Robot", 100 + i))).Accepted);
            }
        });
        await using var late = await _host.JoinAsync(auctionId, "late", lastSeq: 5);
        await bidding;

        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < 60)
        {
            var message = await late.NextNonPingAsync();
            if (message.Type() == "bid_placed")
            {
                seqs.Add(message.Seq());
            }
        }

        Assert.Equal(Enumerable.Range(6, 55).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task Every_event_fan_out_is_recorded_with_its_recipients()
    {
        var recipients = new ConcurrentQueue<long>();
        var durations = new ConcurrentQueue<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RemateMetrics.MeterName && instrument.Meter.Scope == _host.Services.GetRequiredService<IMeterFactory>())
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "remate_live.fan_out.recipients")
            {
                recipients.Enqueue(value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "remate_live.fan_out.duration")
            {
                durations.Enqueue(value);
            }
        });
        listener.Start();

        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        await using var a = await _host.JoinAsync(auctionId, "alice");
        await using var b = await _host.JoinAsync(auctionId, "bob");
        await a.NextAsync("user_joined");
        recipients.Clear();
        await a.BidAsync(1_000);
        await a.NextAsync("bid_placed");
        await b.NextAsync("bid_placed");

        Assert.Equal([2L], recipients);
        Assert.NotEmpty(durations);
        Assert.All(durations, d => Assert.True(d >= 0));
    }
}

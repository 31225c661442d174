using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

/// <summary>Bids decided over REST show up on the <c>RemateLive</c> meter, by outcome and error.type, with a latency.</summary>
public sealed class MetricsTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task Accepted_and_rejected_bids_are_counted_by_code_and_timed()
    {
        var metrics = app.Services.GetRequiredService<RemateMetrics>(); // creates the meter in this app's factory
        var counts = new ConcurrentDictionary<string, long>();
        var durations = new ConcurrentBag<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RemateMetrics.MeterName && instrument.Meter.Scope == app.Services.GetRequiredService<IMeterFactory>())
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "remate_live.bids")
            {
                var all = tags.ToArray();
                Assert.Equal(all.Any(t => t.Key == "error.type") ? "rejected" : "accepted", all.Single(t => t.Key == "remate_live.bid.outcome").Value);
                var code = all.SingleOrDefault(t => t.Key == "error.type").Value as string ?? "OK";
                counts.AddOrUpdate(code, value, (_, v) => v + value);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "remate_live.bid.duration")
            {
                durations.Add(value);
            }
        });
        listener.Start();
        Assert.NotNull(metrics);

        var auction = await app.CreateAuctionAsync();
        using var bidder = await app.CreateBidderClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await bidder.PostAsJsonAsync($"/api/auctions/{auction["id"]}/bids", new { amount_cents = 1_000 })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await bidder.PostAsJsonAsync($"/api/auctions/{auction["id"]}/bids", new { amount_cents = 1_001 })).StatusCode);

        Assert.Equal(1, counts.GetValueOrDefault("OK"));
        Assert.Equal(1, counts.GetValueOrDefault("BID_TOO_LOW"));
        Assert.Equal(2, durations.Count);
    }
}

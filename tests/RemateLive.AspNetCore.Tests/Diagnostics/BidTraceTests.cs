using System.Diagnostics;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Diagnostics;

/// <summary>A bid over a real socket is one trace: receive → decide → commit, publish and fan-out under the batch.</summary>
public sealed class BidTraceTests : IAsyncLifetime
{
    private readonly SpanCollector _spans = new();
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _spans.Dispose();
    }

    [Fact]
    public async Task A_socket_bid_produces_the_span_chain_with_correct_parents()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        var id = auctionId.ToString();
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        await using var bob = await _host.JoinAsync(auctionId, "bob");

        await alice.BidAsync(1_000);
        var placed = await bob.NextAsync("bid_placed");

        var receive = await _spans.WaitForAsync(s => s.OperationName == "remate_live.receive" && Tag(s, "remate_live.auction.id") == id, "receive");
        Assert.Equal(ActivityKind.Server, receive.Kind);
        Assert.Equal("socket", Tag(receive, "remate_live.transport"));
        Assert.Equal("accepted", Tag(receive, "remate_live.bid.outcome"));
        var trace = receive.TraceId;

        var decide = await _spans.WaitForAsync(s => s.OperationName == "remate_live.decide" && s.TraceId == trace, "decide");
        Assert.Equal(receive.SpanId, decide.ParentSpanId);
        Assert.Equal(id, Tag(decide, "remate_live.auction.id"));

        var commit = await _spans.WaitForAsync(s => s.OperationName == "remate_live.commit" && s.TraceId == trace, "commit");
        Assert.Equal(decide.SpanId, commit.ParentSpanId);
        Assert.Equal("Committed", Tag(commit, "remate_live.commit.status"));

        var publish = await _spans.WaitForAsync(s => s.OperationName == "remate_live.publish" && s.TraceId == trace, "publish");
        Assert.Equal(decide.SpanId, publish.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, publish.Kind);

        var fanOut = await _spans.WaitForAsync(s => s.OperationName == "remate_live.fan_out" && s.TraceId == trace, "fan_out");
        Assert.Equal(decide.SpanId, fanOut.ParentSpanId);
        Assert.Equal(placed.Seq(), fanOut.GetTagItem("remate_live.event.seq"));
        Assert.Equal(2, fanOut.GetTagItem("remate_live.fan_out.recipients"));

        // Commit happens inside the batch, the batch inside the receive (the bidder is answered after commit).
        Assert.True(commit.StartTimeUtc >= decide.StartTimeUtc && decide.StartTimeUtc >= receive.StartTimeUtc);
    }

    [Fact]
    public async Task Bids_of_one_batch_share_its_span_through_links()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 1);
        var id = auctionId.ToString();
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        await using var bob = await _host.JoinAsync(auctionId, "bob");

        // Many bids at once: whichever share a batch, every receive span is the batch's parent or one of its links.
        for (var i = 0; i < 10; i++)
        {
            await (i % 2 == 0 ? alice : bob).BidAsync(1_000 + (i * 10)); // sent without waiting for the answers
        }

        var receives = new List<Activity>();
        for (var i = 0; i < 10; i++)
        {
            receives.Add(await _spans.WaitForAsync(s => s.OperationName == "remate_live.receive" && Tag(s, "remate_live.auction.id") == id && !receives.Contains(s), $"receive #{i}"));
        }

        await _spans.WaitForAsync(s => s.OperationName == "remate_live.decide" && Tag(s, "remate_live.auction.id") == id, "decide");
        await Task.Delay(200); // let the last batch end
        var batches = _spans.Spans.Where(s => s.OperationName == "remate_live.decide" && Tag(s, "remate_live.auction.id") == id).ToList();
        foreach (var receive in receives)
        {
            Assert.Contains(batches, b => b.ParentSpanId == receive.SpanId || b.Links.Any(l => l.Context.SpanId == receive.SpanId));
        }
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name) as string;
}

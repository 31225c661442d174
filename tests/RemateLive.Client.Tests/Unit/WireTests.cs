using System.Text;
using System.Text.Json;
using RemateLive.Client.Internal;

namespace RemateLive.Client.Tests.Unit;

public sealed class WireTests
{
    [Fact]
    public void ABidPlacedOfTheProtocolBecomesATypedEvent()
    {
        // The example of docs/protocol.md (the bidder's own copy).
        var json = """{"type": "bid_placed", "payload": {"auction_id": "a1", "bid_id": "b1", "bidder_name": "Alberto", "paddle": 1, "amount_cents": 1000, "new_version": 1, "seq": 1, "placed_at": "2026-11-28T12:00:00.000Z", "ends_at": "2026-11-28T12:00:30.000Z", "min_next_bid_cents": 1100, "bid_count": 1, "kind": "manual", "reserve_met": false, "buy_now_price_cents": 50000, "server_time": "2026-11-28T12:00:00.000Z", "yours": true, "idempotency_key": "key-1"}}""";
        var m = Wire.Parse(Encoding.UTF8.GetBytes(json));

        var bid = Assert.IsType<BidPlaced>(Wire.ToSequenced(m));
        Assert.Equal(new BidPlaced(1, "b1", "Alberto", 1, 1000, new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 12, 0, 30, TimeSpan.Zero), 1100, 1, "manual", true), bid);
        Assert.Equal("key-1", m.String("idempotency_key"));
    }

    [Fact]
    public void ClosedAndCancelledCarryTheirSeqAndPresenceIsNotDurable()
    {
        var closed = Wire.ToSequenced(Wire.Parse("""{"type":"auction_closed","payload":{"auction_id":"a","winner_name":null,"winner_paddle":null,"final_price_cents":null,"reserve_met":null,"reason":"ended","seq":4}}"""u8));
        Assert.Equal(new AuctionClosed(4, null, null, null, null, "ended"), closed);
        Assert.Equal(new AuctionCancelled(2, "Withdrawn"), Wire.ToSequenced(Wire.Parse("""{"type":"auction_cancelled","payload":{"reason":"Withdrawn","seq":2}}"""u8)));
        Assert.Null(Wire.ToSequenced(Wire.Parse("""{"type":"user_joined","payload":{"username":"bea","display_name":"Bea","online_count":2}}"""u8)));
    }

    [Fact]
    public void RaisedMaximaAndUnknownDurableEventsKeepTheSequenceGapFree()
    {
        var own = Wire.ToSequenced(Wire.Parse("""{"type":"max_raised","payload":{"auction_id":"a","seq":4,"paddle":2,"server_time":"2026-11-28T12:00:00.000Z","yours":true,"max_amount_cents":4000,"idempotency_key":"key-3"}}"""u8));
        Assert.Equal(new MaximumRaised(4, 2, true, 4000), own);
        var theirs = Wire.ToSequenced(Wire.Parse("""{"type":"max_raised","payload":{"auction_id":"a","seq":4,"paddle":2,"server_time":"2026-11-28T12:00:00.000Z","yours":false}}"""u8));
        Assert.Equal(new MaximumRaised(4, 2, false, null), theirs);

        // A newer server's durable event is still delivered in order; messages without a seq are not events.
        Assert.Equal(new OtherEvent(7, "lot_reopened"), Wire.ToSequenced(Wire.Parse("""{"type":"lot_reopened","payload":{"seq":7}}"""u8)));
        Assert.Null(Wire.ToSequenced(Wire.Parse("""{"type":"something_new","payload":{"online_count":2}}"""u8)));

        using var raise = JsonDocument.Parse(Wire.RaiseMax(4000, "k-2"));
        Assert.Equal("""{"type":"raise_max","payload":{"max_amount_cents":4000,"idempotency_key":"k-2"}}""", raise.RootElement.GetRawText());
    }

    [Fact]
    public void ClientMessagesAreTheProtocolsSnakeCaseShapes()
    {
        using var bid = JsonDocument.Parse(Wire.Bid(1600, 2000, "k-1"));
        Assert.Equal("""{"type":"bid","payload":{"amount_cents":1600,"idempotency_key":"k-1","max_amount_cents":2000}}""", bid.RootElement.GetRawText());
        Assert.Equal("""{"type":"auth","payload":{"token":"t","last_seq":41}}""", Encoding.UTF8.GetString(Wire.Auth("t", "ana", null, null, 41)));
        Assert.Equal("""{"type":"auth","payload":{"username":"ana","display_name":"ana"}}""", Encoding.UTF8.GetString(Wire.Auth(null, "ana", null, null, null)));
        Assert.Equal("""{"type":"resume","payload":{"last_seq":7}}""", Encoding.UTF8.GetString(Wire.Resume(7)));
    }
}

using System.Text.Json;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Serialization;
using Snapshooter;
using Snapshooter.Xunit;

namespace RemateLive.Core.Tests.Serialization;

/// <summary>The storage/bus JSON of every event type is a contract between adapters: pinned by snapshots.</summary>
public sealed class EventJsonTests
{
    private static readonly AuctionId Auction = new(Guid.Parse("0190f5a2-0000-7000-8000-00000000a001"));
    private static readonly UserId Ana = new(Guid.Parse("0190f5a2-0000-7000-8000-0000000000a1"));
    private static readonly UserId Ben = new(Guid.Parse("0190f5a2-0000-7000-8000-0000000000b2"));
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly DateTimeOffset At = new(2030, 3, 1, 12, 34, 56, 789, TimeSpan.Zero);

    public static TheoryData<string> EventNames => ["bid_placed", "bid_placed_minimal", "auction_extended", "auction_closed", "auction_closed_no_winner", "auction_cancelled"];

    private static AuctionEvent Sample(string name) => name switch
    {
        "bid_placed" => new BidPlaced(
            Auction, 7, At,
            new Bid(new BidId(Guid.Parse("0190f5a2-0000-7000-8000-00000000b1d7")), Auction, Ana, "Ana", Money.FromCents(1_600_000), 7, At, BidKind.Proxy, 3),
            Money.FromCents(1_700_000), 5, At.AddMinutes(30), true, Money.FromCents(9_000_000), Ben, "key-42"),
        "bid_placed_minimal" => new BidPlaced(
            Auction, 1, At,
            new Bid(new BidId(Guid.Parse("0190f5a2-0000-7000-8000-00000000b1d1")), Auction, Ben, "Ben", Money.FromCents(1_000), 1, At, BidKind.Manual, 1),
            Money.FromCents(1_100), 1, At.AddMinutes(30), null, null, null, null),
        "auction_extended" => new AuctionExtended(Auction, 8, At, At.AddMinutes(31), 2),
        "auction_closed" => new AuctionClosed(Auction, 9, At, Ana, "Ana", Money.FromCents(1_600_000), true, CloseReason.BuyNow, 3),
        "auction_closed_no_winner" => new AuctionClosed(Auction, 9, At, null, null, null, null, CloseReason.Ended),
        "auction_cancelled" => new AuctionCancelled(Auction, 9, At, "Counterfeit"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Event_json_matches_the_snapshot(string name)
    {
        var json = RemateJson.SerializeEvent(Sample(name));

        // Indented for review; key order and values are exactly what SerializeEvent wrote.
        using var doc = JsonDocument.Parse(json);
        Snapshot.Match(JsonSerializer.Serialize(doc.RootElement, Indented), SnapshotNameExtension.Create(name));
        Assert.StartsWith("{\"type\":\"" + RemateJson.TypeName(Sample(name)) + "\"", json);
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Events_round_trip(string name)
    {
        var original = Sample(name);
        Assert.Equal(original, RemateJson.DeserializeEvent(RemateJson.SerializeEvent(original)));
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Events_read_back_when_a_store_reorders_the_keys(string name)
    {
        // PostgreSQL jsonb, for one, sorts keys: "type" is no longer first.
        var original = Sample(name);
        using var doc = JsonDocument.Parse(RemateJson.SerializeEvent(original));
        var reordered = "{" + string.Join(",", doc.RootElement.EnumerateObject().OrderBy(p => p.Name.Length).ThenBy(p => p.Name, StringComparer.Ordinal).Select(p => p.ToString())) + "}";
        Assert.False(reordered.StartsWith("{\"type\"", StringComparison.Ordinal));

        Assert.Equal(original, RemateJson.DeserializeEvent(reordered));
    }

    [Fact]
    public void Unknown_event_types_are_refused()
    {
        Assert.ThrowsAny<JsonException>(() => RemateJson.DeserializeEvent("{\"type\":\"auction_exploded\",\"seq\":1}"));
        Assert.Throws<JsonException>(() => RemateJson.DeserializeEvent("null"));
    }

    [Fact]
    public void Enums_ids_and_money_use_the_contract_forms()
    {
        using var doc = JsonDocument.Parse(RemateJson.SerializeEvent(Sample("bid_placed")));
        var root = doc.RootElement;
        Assert.Equal("proxy", root.GetProperty("bid").GetProperty("kind").GetString());
        Assert.Equal(Auction.Value.ToString(), root.GetProperty("auction_id").GetString());
        Assert.Equal(1_700_000, root.GetProperty("min_next_bid").GetInt64());
        Assert.Equal("buy_now", JsonDocument.Parse(RemateJson.SerializeEvent(Sample("auction_closed"))).RootElement.GetProperty("reason").GetString());
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RemateLive.AspNetCore.Tests.Infrastructure;
using Snapshooter.Xunit;

namespace RemateLive.AspNetCore.Tests.Rest;

/// <summary>
/// The REST response shapes, pinned. Ids and times vary per run, so they are replaced by placeholders
/// before matching; everything else (names, types, values) is fixed data.
/// </summary>
public sealed partial class RestShapeSnapshotTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task Auction_bid_events_and_problem_shapes()
    {
        var now = app.Time.GetUtcNow();
        var auction = await app.CreateAuctionAsync(new
        {
            title = "Snapshot lot",
            description = "Fixed data",
            image_url = "https://example.invalid/lot.png",
            currency = "USD",
            starting_price_cents = 10_000,
            increment = new { kind = "fixed", amount_cents = 500 },
            reserve_price_cents = 20_000,
            buy_now_price_cents = 90_000,
            ends_at = now.AddHours(1),
            soft_close = new { window_seconds = 60, extension_seconds = 60, max_extensions = 2 },
        });
        var id = auction["id"]!.GetValue<string>();
        using var bidder = app.CreateClient(await app.LoginAsync("snapshot_bidder", displayName: "Snap Shot"));
        var bid = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 10_000, idempotency_key = "snap-1" });
        var tooLow = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 10_100 });
        var invalid = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = -5 });
        using var client = app.CreateClient();

        var shapes = new JsonObject
        {
            ["created_auction"] = auction.DeepClone(),
            ["auction_after_bid"] = await ReadAsync(await client.GetAsync($"/api/auctions/{id}")),
            ["bid"] = await ReadAsync(bid),
            ["bids"] = await ReadAsync(await client.GetAsync($"/api/auctions/{id}/bids")),
            ["events"] = await ReadAsync(await client.GetAsync($"/api/auctions/{id}/events")),
            ["bid_too_low"] = await ReadAsync(tooLow),
            ["validation"] = await ReadAsync(invalid),
            ["not_found"] = await ReadAsync(await client.GetAsync("/api/auctions/nope")),
        };

        Snapshot.Match(Normalize(shapes));
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static string Normalize(JsonNode node)
    {
        var text = node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        text = Guid().Replace(text, "<guid>");
        text = Timestamp().Replace(text, "<time>");
        return TraceId().Replace(text, "\"trace_id\": \"<trace>\"");
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")]
    private static partial Regex Timestamp();

    [GeneratedRegex("\"trace_?[iI]d\": \"[^\"]*\"")]
    private static partial Regex TraceId();
}

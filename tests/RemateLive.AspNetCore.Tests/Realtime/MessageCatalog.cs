using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>Produces one real example of every server → client message over the socket, for snapshots and doc checks.</summary>
public static class MessageCatalog
{
    /// <summary>Keys: message types, plus <c>bid_placed (bidder)</c> for the bidder's own copy with its key.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> CollectAsync(RealtimeTestHost host)
    {
        var found = new Dictionary<string, JsonElement>();
        var auctionId = await host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100, duration: TimeSpan.FromSeconds(30), softClose: new SoftClosePolicy(60, 120, 2), reservePriceCents: 1_500, buyNowPriceCents: 50_000);
        await using var alice = await host.JoinAsync(auctionId, "alice");
        await using (var bob = await host.JoinAsync(auctionId, "bob"))
        {
            found["user_joined"] = await alice.NextAsync("user_joined");
            await alice.BidAsync(1_000, version: 0, idempotencyKey: "key-1");
            found["bid_placed (bidder)"] = await alice.NextAsync("bid_placed");
            found["bid_placed"] = await bob.NextAsync("bid_placed");
            found["auction_extended"] = await alice.NextAsync("auction_extended");
            await bob.BidAsync(1_600, version: 2);
            found["outbid"] = await alice.NextAsync("outbid");
            await bob.SendAsync(new { type = "raise_max", payload = new { max_amount_cents = 4_000, idempotency_key = "key-3" } });
            found["max_raised (bidder)"] = await bob.NextAsync("max_raised");
            found["max_raised"] = await alice.NextAsync("max_raised");
            await using (var dave = await host.JoinAsync(auctionId, "dave"))
            {
                found["auth_ok"] = dave.AuthOk; // with recent_bids
            }

            await bob.BidAsync(1_650, version: 4, idempotencyKey: "key-2");
            found["bid_error"] = await bob.NextAsync("bid_error");
            await bob.SendRawAsync("{\"type\":\"dance\"}");
            found["error"] = await bob.NextAsync("error");
        }

        found["user_left"] = await alice.NextAsync("user_left");
        host.Time.Advance(TimeSpan.FromSeconds(30));
        found["ping"] = await alice.NextAsync("ping");
        await alice.SendAsync(new { type = "ping", payload = new { nonce = "k7" } });
        found["pong (server)"] = await alice.NextAsync("pong");
        await host.Services.GetRequiredService<CloseAuction>().ExecuteAsync(auctionId);
        found["auction_closed"] = await alice.NextAsync("auction_closed");

        await using (var impostor = await host.ConnectAsync(auctionId))
        {
            await impostor.SendAsync(new { type = "auth", payload = new { username = "alice", display_name = "Fake" } });
            found["auth_error"] = await impostor.NextAsync("auth_error");
        }

        var other = await host.CreateAuctionAsync();
        await using var carol = await host.JoinAsync(other, "carol");
        await host.Services.GetRequiredService<CancelAuction>().ExecuteAsync(other, "Withdrawn");
        found["auction_cancelled"] = await carol.NextAsync("auction_cancelled");
        return found;
    }

    /// <summary>The message with ids and tokens replaced by a placeholder (stable across runs).</summary>
    public static string Normalize(JsonElement message)
    {
        var node = JsonNode.Parse(message.GetRawText())!;
        Scrub(node);
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Scrub(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    // Times are deterministic (FakeTimeProvider), so they stay: their format is part of the contract.
                    if (value is JsonValue && (key is "id" or "token" || key.EndsWith("_id", StringComparison.Ordinal)))
                    {
                        obj[key] = "{id}";
                    }
                    else
                    {
                        Scrub(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Scrub(item);
                }

                break;
        }
    }
}

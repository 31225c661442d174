using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace RemateLive.Client.Internal;

/// <summary>One server message: its <c>type</c> and a private copy of its <c>payload</c>.</summary>
internal readonly record struct ServerMessage(string Type, JsonElement Payload)
{
    public string? String(string name) => Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public long? Int64(string name) => Payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
}

/// <summary>The protocol's JSON (snake_case, <c>{"type", "payload"}</c>), read and written by hand: no reflection, no shared types with the server.</summary>
internal static class Wire
{
    public static ServerMessage Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        var payload = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var p) ? p.Clone() : default;
        return new ServerMessage(type, payload);
    }

    public static SequencedEvent? ToSequenced(ServerMessage m) => m.Type switch
    {
        "bid_placed" => ToBid(m.Payload),
        "auction_extended" => new AuctionExtended(m.Int64("seq") ?? 0, Time(m.Payload, "ends_at"), (int)(m.Int64("extensions") ?? 0)),
        "auction_closed" => new AuctionClosed(
            m.Int64("seq") ?? 0, m.String("winner_name"), (int?)m.Int64("winner_paddle"), m.Int64("final_price_cents"),
            m.Payload.TryGetProperty("reserve_met", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False ? r.GetBoolean() : null,
            m.String("reason") ?? ""),
        "auction_cancelled" => new AuctionCancelled(m.Int64("seq") ?? 0, m.String("reason") ?? ""),
        "max_raised" => new MaximumRaised(
            m.Int64("seq") ?? 0, (int)(m.Int64("paddle") ?? 0), m.Payload.TryGetProperty("yours", out var y) && y.ValueKind == JsonValueKind.True, m.Int64("max_amount_cents")),
        // Unknown but sequenced (a newer server's event): keeps the sequence gap-free. Non-durable messages carry no seq or are handled before.
        _ when m.Payload.ValueKind == JsonValueKind.Object && m.Int64("seq") is { } seq && m.Type is not ("error" or "auth_ok" or "auth_error") => new OtherEvent(seq, m.Type),
        _ => null,
    };

    public static BidPlaced ToBid(JsonElement p) => new(
        Long(p, "seq"), Str(p, "bid_id"), Str(p, "bidder_name"), (int)Long(p, "paddle"), Long(p, "amount_cents"), Time(p, "placed_at"),
        Time(p, "ends_at"), Long(p, "min_next_bid_cents"), (int)Long(p, "bid_count"), Str(p, "kind"),
        p.TryGetProperty("yours", out var y) && y.ValueKind == JsonValueKind.True);

    public static AuctionSnapshot ToSnapshot(JsonElement a) => new(
        Str(a, "id"), Str(a, "title"), Str(a, "currency"), Str(a, "status"), Long(a, "current_price_cents"), Long(a, "min_next_bid_cents"),
        (int)Long(a, "bid_count"), a.TryGetProperty("leader_name", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null,
        a.TryGetProperty("leader_paddle", out var lp) && lp.ValueKind == JsonValueKind.Number ? lp.GetInt32() : null,
        Time(a, "ends_at"), Long(a, "version"));

    public static DateTimeOffset Time(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : default;

    private static long Long(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    private static string Str(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public static byte[] Auth(string? token, string? username, string? displayName, string? password, long? lastSeq) => Message("auth", w =>
    {
        if (!string.IsNullOrEmpty(token))
        {
            w.WriteString("token", token);
        }
        else
        {
            w.WriteString("username", username);
            w.WriteString("display_name", string.IsNullOrEmpty(displayName) ? username : displayName);
            if (!string.IsNullOrEmpty(password))
            {
                w.WriteString("password", password);
            }
        }

        if (lastSeq is long seq)
        {
            w.WriteNumber("last_seq", seq);
        }
    });

    public static byte[] Bid(long amountCents, long? maxAmountCents, string idempotencyKey) => Message("bid", w =>
    {
        w.WriteNumber("amount_cents", amountCents);
        w.WriteString("idempotency_key", idempotencyKey);
        if (maxAmountCents is long max)
        {
            w.WriteNumber("max_amount_cents", max);
        }
    });

    public static byte[] RaiseMax(long maxAmountCents, string idempotencyKey) => Message("raise_max", w =>
    {
        w.WriteNumber("max_amount_cents", maxAmountCents);
        w.WriteString("idempotency_key", idempotencyKey);
    });

    public static byte[] Resume(long lastSeq) => Message("resume", w => w.WriteNumber("last_seq", lastSeq));

    public static readonly byte[] Pong = "{\"type\":\"pong\"}"u8.ToArray();

    private static byte[] Message(string type, Action<Utf8JsonWriter> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteStartObject("payload");
            payload(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

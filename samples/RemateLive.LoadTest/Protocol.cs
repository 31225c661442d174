using System.Text;
using System.Text.Json;

namespace RemateLive.LoadTest;

internal enum MsgType
{
    Other,
    AuthOk,
    AuthError,
    BidPlaced,
    BidError,
    Ping,
    Error,
    SeqEvent, // auction_extended / auction_closed / auction_cancelled / outbid with seq
    Presence,
}

/// <summary>The few fields the generator needs from a server message (snake_case wire contract).</summary>
internal struct ServerMessage
{
    public MsgType Type;
    public long Seq;            // payload.seq (0 = none)
    public long MinNextBid;     // payload.min_next_bid_cents or payload.auction.min_next_bid_cents
    public long Version;        // payload.auction.version (auth_ok) or payload.version (bid_error)
    public long CurrentPrice;   // payload.current_price_cents or payload.auction.current_price_cents
    public string? IdempotencyKey;
    public string? Code;
    public string? TypeName;
}

internal static class Protocol
{
    private static ReadOnlySpan<byte> TypeProp => "type"u8;
    private static ReadOnlySpan<byte> PayloadProp => "payload"u8;

    /// <summary>Parses one complete text frame. Cheap path: one Utf8JsonReader pass, nested objects skipped.</summary>
    public static ServerMessage Parse(ReadOnlySpan<byte> json)
    {
        var msg = default(ServerMessage);
        // Fast path for the flood of presence messages (user_joined/user_left go to every socket on every join).
        if (json.StartsWith("{\"type\":\"user_"u8))
        {
            msg.Type = MsgType.Presence;
            return msg;
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        int payloadStart = -1, payloadEnd = -1;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            msg.Type = MsgType.Other;
            return msg;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(TypeProp))
            {
                msg.TypeName = NextString(ref reader);
            }
            else if (reader.ValueTextEquals(PayloadProp))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    payloadStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    payloadEnd = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        msg.Type = msg.TypeName switch
        {
            "bid_placed" => MsgType.BidPlaced,
            "user_joined" or "user_left" => MsgType.Presence,
            "ping" => MsgType.Ping,
            "bid_error" => MsgType.BidError,
            "auth_ok" => MsgType.AuthOk,
            "auth_error" => MsgType.AuthError,
            "error" => MsgType.Error,
            "auction_extended" or "auction_closed" or "auction_cancelled" or "outbid" => MsgType.SeqEvent,
            _ => MsgType.Other,
        };
        if (payloadStart >= 0 && msg.Type is not (MsgType.Presence or MsgType.Ping or MsgType.Other))
        {
            ReadPayload(json[payloadStart..payloadEnd], ref msg);
        }
        // "outbid" carries the seq of the bid that outbid you: it is a notification, not a separate event.
        if (msg.TypeName == "outbid")
        {
            msg.Type = MsgType.Other;
        }
        return msg;
    }

    // The value after a property name: a number or 0, a string or null (anything else is ignored).
    private static long NextInt64(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : 0;

    private static string? NextString(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    private static void ReadPayload(ReadOnlySpan<byte> json, ref ServerMessage msg)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read(); // StartObject
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                msg.Seq = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("min_next_bid_cents"u8))
            {
                msg.MinNextBid = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("current_price_cents"u8))
            {
                msg.CurrentPrice = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("version"u8) || (msg.Type == MsgType.BidPlaced && reader.ValueTextEquals("new_version"u8)))
            {
                msg.Version = NextInt64(ref reader);
            }
            else if (reader.ValueTextEquals("idempotency_key"u8))
            {
                msg.IdempotencyKey = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                msg.Code = NextString(ref reader);
            }
            else if (msg.Type == MsgType.AuthOk && reader.ValueTextEquals("auction"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("version"u8))
                        {
                            msg.Version = NextInt64(ref reader);
                        }
                        else if (reader.ValueTextEquals("min_next_bid_cents"u8))
                        {
                            msg.MinNextBid = NextInt64(ref reader);
                        }
                        else if (reader.ValueTextEquals("current_price_cents"u8))
                        {
                            msg.CurrentPrice = NextInt64(ref reader);
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    public static byte[] Auth(string username, string displayName) => Message("auth"u8, w =>
    {
        w.WriteString("username"u8, username);
        w.WriteString("display_name"u8, displayName);
    });

    public static byte[] Bid(long amountCents, string idempotencyKey) => Message("bid"u8, w =>
    {
        w.WriteNumber("amount_cents"u8, amountCents);
        w.WriteString("idempotency_key"u8, idempotencyKey);
    });

    // {"type": type, "payload": {…}} as UTF-8 bytes.
    private static byte[] Message(ReadOnlySpan<byte> type, Action<Utf8JsonWriter> writePayload)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, type);
            w.WriteStartObject("payload"u8);
            writePayload(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static readonly byte[] Pong = Encoding.UTF8.GetBytes("""{"type":"pong"}""");
}

using System.Text.Json;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>A parsed client → server message (or why it could not be parsed).</summary>
internal abstract record ClientMessage;

/// <summary><c>auth</c>: claim a username, reuse a token, or rely on the upgrade request's user.</summary>
internal sealed record AuthMessage(string? Username, string? DisplayName, string? Password, string? Token, long? LastSeq) : ClientMessage;

/// <summary>
/// <c>bid</c>, or <c>raise_max</c> when <see cref="RaisesMaximumOnly"/> (the leader's new maximum in
/// <see cref="MaxAmountCents"/>; no amount).
/// </summary>
internal sealed record BidMessage(long AmountCents, long? Version, string? IdempotencyKey, long? MaxAmountCents, bool RaisesMaximumOnly = false) : ClientMessage;

/// <summary><c>pong</c>.</summary>
internal sealed record PongMessage : ClientMessage;

/// <summary><c>ping</c> from the client: answered at once with <c>pong</c> echoing <see cref="Nonce"/> (a client-driven heartbeat).</summary>
internal sealed record ClientPingMessage(string? Nonce) : ClientMessage;

/// <summary><c>resume</c>: replay every event after <see cref="LastSeq"/>.</summary>
internal sealed record ResumeMessage(long LastSeq) : ClientMessage;

/// <summary>
/// A message that cannot be acted on. <see cref="IsBid"/> rejections that concern the amount are answered
/// with <c>bid_error</c>; everything else with <c>error</c>.
/// </summary>
internal sealed record RejectedMessage(string Code, string Error, bool IsBid, string? IdempotencyKey) : ClientMessage;

/// <summary>
/// Parses client messages with <see cref="JsonDocument"/>; never throws on bad input. Amounts must be
/// JSON integers: fractional or out-of-range numbers are <c>INVALID_AMOUNT</c>, non-numbers are
/// <c>INVALID_MESSAGE</c>.
/// </summary>
internal static class ClientMessages
{
    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return Invalid("The message is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (HasInvalidText(root))
            {
                return Invalid(InvalidTextError);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("A message must be a JSON object with a \"type\".");
            }

            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Invalid("\"type\" is missing or not a string.");
            }

            var hasPayload = root.TryGetProperty("payload", out var payload) && payload.ValueKind != JsonValueKind.Null;
            if (hasPayload && payload.ValueKind != JsonValueKind.Object)
            {
                return Invalid("\"payload\" must be an object.");
            }

            return type.GetString() switch
            {
                "auth" => ParseAuth(hasPayload ? payload : default),
                "bid" => hasPayload ? ParseBid(payload) : Invalid("\"bid\" needs a payload with amount_cents.", isBid: true),
                "raise_max" => hasPayload ? ParseRaiseMax(payload) : Invalid("\"raise_max\" needs a payload with max_amount_cents.", isBid: true),
                "pong" => new PongMessage(),
                "ping" => ParsePing(hasPayload ? payload : default),
                "resume" => hasPayload && OptionalLong(payload, "last_seq", out var lastSeq) && lastSeq is >= 0
                    ? new ResumeMessage(lastSeq.Value)
                    : Invalid("\"resume\" needs payload.last_seq, a non-negative integer."),
                var other => Invalid($"Unknown message type \"{Truncate(other)}\"."),
            };
        }
    }

    /// <summary>The longest <c>nonce</c> a client <c>ping</c> may carry.</summary>
    public const int MaxNonceLength = 64;

    private static ClientMessage ParsePing(JsonElement payload) =>
        payload.ValueKind != JsonValueKind.Object
            ? new ClientPingMessage(null)
            : OptionalString(payload, "nonce", out var nonce) && nonce is not { Length: > MaxNonceLength }
                ? new ClientPingMessage(nonce)
                : Invalid($"\"ping\" payload.nonce must be a string of at most {MaxNonceLength} characters.");

    /// <summary>Parses a bid payload (also used by the SignalR hub's <c>PlaceBid</c>).</summary>
    public static ClientMessage ParseBid(JsonElement payload)
    {
        if (OpenBidPayload(payload, "The bid must be an object with amount_cents.", out var key) is { } bad)
        {
            return bad;
        }

        if (ReadCents(payload, "amount_cents", required: true, key, out var cents) is { } badAmount)
        {
            return badAmount;
        }

        if (ReadCents(payload, "max_amount_cents", required: false, key, out var max) is { } badMax)
        {
            return badMax;
        }

        if (!OptionalLong(payload, "version", out var version))
        {
            return Invalid("version must be an integer.", isBid: true, key);
        }

        return new BidMessage(cents!.Value, version, key, max);
    }

    /// <summary>Parses a <c>raise_max</c> payload <c>{max_amount_cents, idempotency_key?}</c> (also the hub's <c>RaiseMax</c>).</summary>
    public static ClientMessage ParseRaiseMax(JsonElement payload)
    {
        if (OpenBidPayload(payload, "raise_max must be an object with max_amount_cents.", out var key) is { } bad)
        {
            return bad;
        }

        return (ClientMessage?)ReadCents(payload, "max_amount_cents", required: true, key, out var max)
            ?? new BidMessage(max!.Value, null, key, max, RaisesMaximumOnly: true);
    }

    // What both bid-shaped payloads check first: an object, valid text, and an optional string key.
    private static RejectedMessage? OpenBidPayload(JsonElement payload, string notAnObject, out string? key)
    {
        key = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return Invalid(notAnObject, isBid: true);
        }

        if (HasInvalidText(payload))
        {
            return Invalid(InvalidTextError);
        }

        return OptionalString(payload, "idempotency_key", out key) ? null : Invalid("idempotency_key must be a string.", isBid: true);
    }

    // Cents are JSON integers: a non-number is INVALID_MESSAGE, a fraction or out-of-range number INVALID_AMOUNT.
    private static RejectedMessage? ReadCents(JsonElement payload, string name, bool required, string? key, out long? cents)
    {
        cents = null;
        if (!payload.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? Invalid($"{name} is required.", isBid: true, key) : null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            return Invalid($"{name} must be an integer number of cents.", isBid: true, key);
        }

        if (!element.TryGetInt64(out var value))
        {
            return new RejectedMessage(ErrorCodes.InvalidAmount, $"{name} must be a whole number of cents within range.", true, key);
        }

        cents = value;
        return null;
    }

    private static ClientMessage ParseAuth(JsonElement payload)
    {
        if (payload.ValueKind == JsonValueKind.Undefined)
        {
            return new AuthMessage(null, null, null, null, null);
        }

        if (!OptionalString(payload, "username", out var username)
            || !OptionalString(payload, "display_name", out var displayName)
            || !OptionalString(payload, "password", out var password)
            || !OptionalString(payload, "token", out var token))
        {
            return Invalid("username, display_name, password and token must be strings.");
        }

        if (!OptionalLong(payload, "last_seq", out var lastSeq) || lastSeq < 0)
        {
            return Invalid("last_seq must be a non-negative integer.");
        }

        return new AuthMessage(username, displayName, password, token, lastSeq);
    }

    private static bool OptionalString(JsonElement obj, string name, out string? value)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = e.GetString();
        return true;
    }

    private static bool OptionalLong(JsonElement obj, string name, out long? value)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var v))
        {
            return false;
        }

        value = v;
        return true;
    }

    internal const string InvalidTextError = "The message holds text that is not valid UTF-16 (a lone surrogate escape such as \\ud800).";

    // JSON may escape lone surrogates (\ud800): valid JSON, but not text. Reading such a string throws, so every
    // property name and string value is checked once up front (frames are small and depth-limited).
    internal static bool HasInvalidText(JsonElement element)
    {
        try
        {
            return !IsValidText(element);
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static bool IsValidText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    if (!IsValidText(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsValidText(item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static RejectedMessage Invalid(string error, bool isBid = false, string? key = null) =>
        new(ErrorCodes.InvalidMessage, error, isBid, key);

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 32 ? s : s[..32] + "…";
}

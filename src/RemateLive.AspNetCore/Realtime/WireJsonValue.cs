using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// JSON already serialized with <see cref="WireJson.Options"/>, written verbatim by whatever serializer
/// carries it: SignalR's JSON protocol (whose options belong to the host and may be camelCase) then sends
/// our snake_case messages unchanged, and a message shared by many connections is serialized once.
/// </summary>
[JsonConverter(typeof(Converter))]
internal sealed class WireJsonValue(ReadOnlyMemory<byte> utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    /// <summary>The whole <c>{type, payload}</c> envelope (a hub method's result).</summary>
    public static WireJsonValue Envelope(ServerMessage message) => new(message.Utf8);

    /// <summary>The payload alone (a client handler's argument).</summary>
    public static WireJsonValue Payload(ServerMessage message) => new(message.PayloadUtf8);

    private sealed class Converter : JsonConverter<WireJsonValue>
    {
        public override WireJsonValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Outgoing only.");

        public override void Write(Utf8JsonWriter writer, WireJsonValue value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RemateLive.Serialization;

namespace RemateLive.AspNetCore;

/// <summary>
/// The wire JSON contract shared by REST, the native socket and SignalR: snake_case names and enums,
/// money as integer cents, ids as strings, times as ISO-8601 UTC with milliseconds, and no lenient
/// number parsing (a string where a number belongs is a validation error, not a guess).
/// </summary>
internal static class WireJson
{
    /// <summary>Ready-made, read-only options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the contract to options owned by someone else (HTTP JSON options, SignalR's protocol).</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.PropertyNameCaseInsensitive = true;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (!o.Converters.OfType<UtcMillisecondsConverter>().Any())
        {
            o.Converters.Add(new UtcMillisecondsConverter());
            RemateJson.AddConverters(o.Converters);
        }
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Writes <c>2026-11-28T00:00:00.000Z</c>; reads any ISO-8601 offset.</summary>
    internal sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemateLive.Sales;

/// <summary>Identifies a live sale.</summary>
[JsonConverter(typeof(SaleIdJsonConverter))]
public readonly record struct SaleId(Guid Value)
{
    /// <summary>A new, time-ordered id.</summary>
    public static SaleId New() => new(Guid.CreateVersion7());

    /// <summary>Parses the string form of an id.</summary>
    public static bool TryParse(string? text, out SaleId id)
    {
        var ok = Guid.TryParse(text, out var g);
        id = new SaleId(g);
        return ok;
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}

/// <summary>Identifies a lot of a sale's catalogue.</summary>
[JsonConverter(typeof(LotIdJsonConverter))]
public readonly record struct LotId(Guid Value)
{
    /// <summary>A new, time-ordered id.</summary>
    public static LotId New() => new(Guid.CreateVersion7());

    /// <summary>Parses the string form of an id.</summary>
    public static bool TryParse(string? text, out LotId id)
    {
        var ok = Guid.TryParse(text, out var g);
        id = new LotId(g);
        return ok;
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}

internal sealed class SaleIdJsonConverter : JsonConverter<SaleId>
{
    public override SaleId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetGuid());

    public override void Write(Utf8JsonWriter writer, SaleId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class LotIdJsonConverter : JsonConverter<LotId>
{
    public override LotId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetGuid());

    public override void Write(Utf8JsonWriter writer, LotId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

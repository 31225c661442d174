using System.Text.Json;
using System.Text.Json.Serialization;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.Increments;

namespace RemateLive.Serialization;

/// <summary>
/// The JSON contract for persisted and transported domain data (events, increment rules): snake_case,
/// money as integer cents, ids as strings, enums as snake_case strings. Stores and buses use it so every
/// adapter reads what another wrote.
/// </summary>
public static class RemateJson
{
    /// <summary>Options for domain data (thread-safe, read-only).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Serializes an event with its <c>type</c> discriminator.</summary>
    public static string SerializeEvent(AuctionEvent auctionEvent) => JsonSerializer.Serialize(auctionEvent, Options);

    /// <summary>Reads an event written by <see cref="SerializeEvent"/>.</summary>
    public static AuctionEvent DeserializeEvent(string json) =>
        JsonSerializer.Deserialize<AuctionEvent>(json, Options) ?? throw new JsonException("Empty event.");

    /// <summary>The wire/storage name of an event type (<c>bid_placed</c>, …).</summary>
    public static string TypeName(AuctionEvent auctionEvent) => auctionEvent switch
    {
        BidPlaced => "bid_placed",
        AuctionExtended => "auction_extended",
        AuctionClosed => "auction_closed",
        AuctionCancelled => "auction_cancelled",
        MaximumRaised => "max_raised",
        _ => throw new ArgumentOutOfRangeException(nameof(auctionEvent), auctionEvent.GetType().Name, "Unknown event type."),
    };

    /// <summary>Adds Remate Live's converters (money, ids, enums) to other options, e.g. ASP.NET Core's.</summary>
    public static void AddConverters(IList<JsonConverter> converters)
    {
        ArgumentNullException.ThrowIfNull(converters);
        converters.Add(new MoneyConverter());
        converters.Add(new AuctionIdConverter());
        converters.Add(new BidIdConverter());
        converters.Add(new UserIdConverter());
        converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Stores may reorder keys (PostgreSQL jsonb sorts them), so "type" need not come first.
            AllowOutOfOrderMetadataProperties = true,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers = { AddEventPolymorphism },
            },
        };
        AddConverters(o.Converters);
        o.MakeReadOnly();
        return o;
    }

    private static void AddEventPolymorphism(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Type != typeof(AuctionEvent))
        {
            return;
        }

        info.PolymorphismOptions = new System.Text.Json.Serialization.Metadata.JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "type",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            DerivedTypes =
            {
                new(typeof(BidPlaced), "bid_placed"),
                new(typeof(AuctionExtended), "auction_extended"),
                new(typeof(AuctionClosed), "auction_closed"),
                new(typeof(AuctionCancelled), "auction_cancelled"),
                new(typeof(MaximumRaised), "max_raised"),
            },
        };
    }

    private sealed class MoneyConverter : JsonConverter<Money>
    {
        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Money.FromCents(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.Cents);
    }

    private sealed class AuctionIdConverter : JsonConverter<AuctionId>
    {
        public override AuctionId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetGuid());

        public override void Write(Utf8JsonWriter writer, AuctionId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }

    private sealed class BidIdConverter : JsonConverter<BidId>
    {
        public override BidId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetGuid());

        public override void Write(Utf8JsonWriter writer, BidId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }

    private sealed class UserIdConverter : JsonConverter<UserId>
    {
        public override UserId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetGuid());

        public override void Write(Utf8JsonWriter writer, UserId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }
}

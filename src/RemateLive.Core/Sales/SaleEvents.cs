using System.Text.Json.Serialization;
using RemateLive.Domain;

namespace RemateLive.Sales;

/// <summary>
/// A durable, public sale event. <see cref="Seq"/> is per sale, gap-free and strictly increasing from 1;
/// a client holding seq <c>n</c> resumes with the events after <c>n</c>. No event carries an absentee maximum.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(LotOpened), "lot_opened")]
[JsonDerivedType(typeof(AskingPriceSet), "asking_price")]
[JsonDerivedType(typeof(SaleBidPlaced), "bid_placed")]
[JsonDerivedType(typeof(FairWarningGiven), "fair_warning")]
[JsonDerivedType(typeof(LotSold), "lot_sold")]
[JsonDerivedType(typeof(LotPassed), "lot_passed")]
[JsonDerivedType(typeof(LotWithdrawn), "lot_withdrawn")]
[JsonDerivedType(typeof(SalePaused), "sale_paused")]
[JsonDerivedType(typeof(SaleResumed), "sale_resumed")]
[JsonDerivedType(typeof(SaleEnded), "sale_ended")]
public abstract record SaleEvent(SaleId SaleId, long Seq, DateTimeOffset OccurredAt)
{
    /// <summary>The wire and storage name of the event (<c>lot_opened</c>, …).</summary>
    [JsonIgnore]
    public abstract string TypeName { get; }
}

/// <summary>The auctioneer offered a lot at its starting price.</summary>
public sealed record LotOpened(SaleId SaleId, long Seq, DateTimeOffset OccurredAt, LotId LotId, int LotNumber, string Title, Money StartingPrice, Money AskingPrice)
    : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "lot_opened";
}

/// <summary>The auctioneer set (jumped or dropped) the asking price.</summary>
public sealed record AskingPriceSet(SaleId SaleId, long Seq, DateTimeOffset OccurredAt, LotId LotId, Money AskingPrice)
    : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "asking_price";
}

/// <summary>A bid at the asking price was taken; <see cref="AskingPrice"/> is the next one the increment strategy suggests.</summary>
public sealed record SaleBidPlaced(
    SaleId SaleId,
    long Seq,
    DateTimeOffset OccurredAt,
    LotId LotId,
    BidId BidId,
    Money Amount,
    BidSource Source,
    int Paddle,
    UserId? BidderId,
    string? BidderName,
    Money AskingPrice,
    int BidCount) : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "bid_placed";
}

/// <summary>"Going once, going twice": last call on the lot.</summary>
public sealed record FairWarningGiven(SaleId SaleId, long Seq, DateTimeOffset OccurredAt, LotId LotId, Money? LeadingAmount)
    : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "fair_warning";
}

/// <summary>The hammer fell: the lot is sold to the leading bid.</summary>
public sealed record LotSold(
    SaleId SaleId,
    long Seq,
    DateTimeOffset OccurredAt,
    LotId LotId,
    Money Price,
    BidSource Source,
    int Paddle,
    UserId? BuyerId,
    string? BuyerName) : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "lot_sold";
}

/// <summary>The lot was passed (not sold); <see cref="HighestBid"/> is the best bid it had, if any.</summary>
public sealed record LotPassed(SaleId SaleId, long Seq, DateTimeOffset OccurredAt, LotId LotId, Money? HighestBid)
    : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "lot_passed";
}

/// <summary>The lot was taken out of the sale.</summary>
public sealed record LotWithdrawn(SaleId SaleId, long Seq, DateTimeOffset OccurredAt, LotId LotId)
    : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "lot_withdrawn";
}

/// <summary>The auctioneer paused the sale.</summary>
public sealed record SalePaused(SaleId SaleId, long Seq, DateTimeOffset OccurredAt) : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "sale_paused";
}

/// <summary>The auctioneer resumed the sale.</summary>
public sealed record SaleResumed(SaleId SaleId, long Seq, DateTimeOffset OccurredAt) : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "sale_resumed";
}

/// <summary>No lot is left: the sale is over.</summary>
public sealed record SaleEnded(SaleId SaleId, long Seq, DateTimeOffset OccurredAt, int Sold, int Passed, int Withdrawn)
    : SaleEvent(SaleId, Seq, OccurredAt)
{
    /// <inheritdoc/>
    public override string TypeName => "sale_ended";
}

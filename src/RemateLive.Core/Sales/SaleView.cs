using RemateLive.Domain;

namespace RemateLive.Sales;

/// <summary>What anyone may see of a sale: no absentee maximum, no user-to-paddle map.</summary>
public sealed record SaleView(
    SaleId Id,
    string Title,
    string Currency,
    SaleStatus Status,
    DateTimeOffset StartsAt,
    LotId? CurrentLotId,
    long Seq,
    IReadOnlyList<LotView> Lots)
{
    /// <summary>The public view of <paramref name="state"/>.</summary>
    public static SaleView Of(SaleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state.Id, state.Title, state.Currency, state.Status, state.StartsAt, state.CurrentLotId, state.Seq, [.. state.Lots.Select(LotView.Of)]);
    }
}

/// <summary>What anyone may see of a lot; the leader is shown by paddle and source only.</summary>
public sealed record LotView(
    LotId Id,
    int Number,
    string Title,
    string? Description,
    long StartingPriceCents,
    LotStatus Status,
    long? AskingPriceCents,
    long? LeadingBidCents,
    int? LeadingPaddle,
    BidSource? LeadingSource,
    int BidCount)
{
    /// <summary>The public view of <paramref name="lot"/>.</summary>
    public static LotView Of(LotState lot)
    {
        ArgumentNullException.ThrowIfNull(lot);
        return new(lot.Id, lot.Number, lot.Title, lot.Description, lot.StartingPrice.Cents, lot.Status, lot.AskingPrice?.Cents, lot.Leader?.Amount.Cents, lot.Leader?.Paddle, lot.Leader?.Source, lot.BidCount);
    }
}

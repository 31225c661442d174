namespace RemateLive.AspNetCore.Sales;

/// <summary><c>POST /api/sales</c>.</summary>
internal sealed record CreateSaleRequest(string? Title, string? Currency, DateTimeOffset? StartsAt, Rest.IncrementRequest? Increment, IReadOnlyList<NewLotRequest?>? Lots);

/// <summary>A lot of <see cref="CreateSaleRequest"/>.</summary>
internal sealed record NewLotRequest(string? Title, long? StartingPriceCents, string? Description);

/// <summary><c>POST /api/sales/{id}/bids</c>: a bid at the asking price the bidder saw.</summary>
internal sealed record SaleBidRequestBody(string? LotId, long? AmountCents);

/// <summary><c>POST /api/sales/{id}/lots/{lot_id}/absentee-bids</c>.</summary>
internal sealed record AbsenteeBidRequestBody(long? MaxAmountCents);

/// <summary>
/// <c>POST /api/sales/{id}/auctioneer</c>: one rostrum action — <c>open_lot</c> (optional <c>lot_id</c>),
/// <c>set_asking</c> (<c>amount_cents</c>), <c>fair_warning</c>, <c>sold</c>, <c>pass</c>, <c>withdraw</c>
/// (<c>lot_id</c>), <c>pause</c>, <c>resume</c>, <c>floor_bid</c> (<c>paddle</c>, <c>amount_cents</c> = the asking price).
/// </summary>
internal sealed record AuctioneerCommandBody(string? Action, string? LotId, long? AmountCents, int? Paddle);

/// <summary>The answer to an accepted bid: the bidder's paddle in the sale and the bid's seq.</summary>
internal sealed record SaleBidAccepted(string LotId, int Paddle, long Seq);

/// <summary>The answer to an absentee bid (the maximum is echoed only to its owner).</summary>
internal sealed record AbsenteeBidAccepted(string LotId, int Paddle, long MaxAmountCents);

namespace RemateLive.AspNetCore.Rest;

// Request bodies. Every field is nullable so a missing one is reported by name rather than defaulted.

/// <summary><c>POST /api/auth/login</c>.</summary>
internal sealed record LoginRequest(string? Username, string? DisplayName, string? Password);

/// <summary><c>POST /api/auth/password</c>.</summary>
internal sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>The login response.</summary>
internal sealed record LoginResponse(string UserId, string Username, string DisplayName, string Role, string Token);

/// <summary><c>POST /api/auctions/{id}/bids</c>.</summary>
internal sealed record PlaceBidRequest(long? AmountCents, long? Version, long? MaxAmountCents, string? IdempotencyKey);

/// <summary><c>POST /api/auctions/{id}/max</c>: the leader's new maximum.</summary>
internal sealed record RaiseMaxRequest(long? MaxAmountCents, string? IdempotencyKey);

/// <summary>A raised maximum, shown only to its bidder.</summary>
internal sealed record MaxRaisedResponse(RemateLive.Domain.AuctionId AuctionId, long MaxAmountCents, long Seq);

/// <summary><c>POST /api/auctions</c>.</summary>
internal sealed record CreateAuctionRequest(
    string? Title,
    string? Description,
    string? ImageUrl,
    string? Currency,
    long? StartingPriceCents,
    IncrementRequest? Increment,
    long? ReservePriceCents,
    long? BuyNowPriceCents,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    SoftCloseRequest? SoftClose,
    bool? AnonymousBidding = null);

/// <summary><c>increment</c>: <c>{kind: fixed|percent|tiered, amount_cents | basis_points | tiers}</c>.</summary>
internal sealed record IncrementRequest(string? Kind, long? AmountCents, int? BasisPoints, IReadOnlyList<IncrementTierRequest>? Tiers);

/// <summary>One band of a tiered increment.</summary>
internal sealed record IncrementTierRequest(long? FromCents, long? IncrementCents);

/// <summary><c>soft_close</c>.</summary>
internal sealed record SoftCloseRequest(int? WindowSeconds, int? ExtensionSeconds, int? MaxExtensions);

/// <summary><c>POST /api/auctions/{id}/cancel</c> (body optional).</summary>
internal sealed record CancelAuctionRequest(string? Reason);

using System.Text.RegularExpressions;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;

namespace RemateLive.UseCases;

/// <summary>What an admin submits to create an auction.</summary>
public sealed record CreateAuctionCommand
{
    /// <summary>1–200 characters.</summary>
    public required string Title { get; init; }

    /// <summary>Up to 10,000 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Optional picture URL.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>ISO 4217 code (three upper-case letters).</summary>
    public required string Currency { get; init; }

    /// <summary>The first bid must reach this.</summary>
    public required long StartingPriceCents { get; init; }

    /// <summary>The increment strategy and its parameters.</summary>
    public required IncrementRule Increment { get; init; }

    /// <summary>Optional secret reserve (≥ the starting price).</summary>
    public long? ReservePriceCents { get; init; }

    /// <summary>Optional buy-now price (above the starting price and at least the reserve).</summary>
    public long? BuyNowPriceCents { get; init; }

    /// <summary>Start; now when omitted.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>End; after the start and in the future.</summary>
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>Optional anti-sniping policy.</summary>
    public SoftClosePolicy? SoftClose { get; init; }

    /// <summary>The seller (usually the admin creating it).</summary>
    public required UserId SellerId { get; init; }

    /// <summary>Show bidders by paddle number only, never by name.</summary>
    public bool AnonymousBidding { get; init; }
}

/// <summary>The new auction, or the invalid fields (snake_case names) with their messages.</summary>
public sealed record CreateAuctionResult(AuctionView? Auction, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Whether the auction was created.</summary>
    public bool Succeeded => Auction is not null;
}

/// <summary>Validates and stores a new auction.</summary>
public sealed partial class CreateAuction(IAuctionStore store, BidIncrementStrategies strategies, BiddingOptions options, TimeProvider time)
{
    /// <summary>Creates the auction, or says which fields are wrong.</summary>
    public async Task<CreateAuctionResult> ExecuteAsync(CreateAuctionCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();
        var errors = Validate(command, now);
        if (errors.Count > 0)
        {
            return new CreateAuctionResult(null, errors);
        }

        var startsAt = command.StartsAt ?? now;
        var state = new AuctionState
        {
            Id = AuctionId.New(),
            Title = command.Title.Trim(),
            Description = command.Description?.Trim() ?? "",
            ImageUrl = string.IsNullOrWhiteSpace(command.ImageUrl) ? null : command.ImageUrl.Trim(),
            Currency = command.Currency,
            SellerId = command.SellerId,
            StartingPrice = Money.FromCents(command.StartingPriceCents),
            Increment = command.Increment,
            ReservePrice = command.ReservePriceCents is { } r ? Money.FromCents(r) : null,
            BuyNowPrice = command.BuyNowPriceCents is { } b ? Money.FromCents(b) : null,
            SoftClose = command.SoftClose,
            AnonymousBidding = command.AnonymousBidding,
            StartsAt = startsAt,
            EndsAt = command.EndsAt,
            Status = startsAt <= now ? AuctionStatus.Open : AuctionStatus.Scheduled,
            CreatedAt = now,
        };
        await store.CreateAuctionAsync(state, cancellationToken);
        return new CreateAuctionResult(Auction.Load(state, strategies.Get(state.Increment.Kind)).ToView(now), new Dictionary<string, string[]>());
    }

    private Dictionary<string, string[]> Validate(CreateAuctionCommand c, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];
        bool InRange(long cents) => cents > 0 && cents <= options.MaxAmountCents;

        if (string.IsNullOrWhiteSpace(c.Title) || c.Title.Trim().Length > 200)
        {
            Add("title", "Title must have 1 to 200 characters.");
        }

        if (c.Description is { Length: > 10_000 })
        {
            Add("description", "Description must have at most 10000 characters.");
        }

        if (c.ImageUrl is { Length: > 0 } url && (url.Length > 2048 || !Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out _)))
        {
            Add("image_url", "image_url must be a URL of at most 2048 characters.");
        }

        if (c.Currency is null || !CurrencyCode().IsMatch(c.Currency))
        {
            Add("currency", "currency must be an ISO 4217 code such as USD or CLP.");
        }

        if (!InRange(c.StartingPriceCents))
        {
            Add("starting_price_cents", $"starting_price_cents must be between 1 and {options.MaxAmountCents}.");
        }

        if (c.Increment is null)
        {
            Add("increment", "increment is required.");
        }
        else if (strategies.Validate(c.Increment) is { } incrementError)
        {
            Add("increment", incrementError);
        }

        if (c.ReservePriceCents is { } reserve && (!InRange(reserve) || reserve < c.StartingPriceCents))
        {
            Add("reserve_price_cents", "reserve_price_cents must be at least the starting price and within the ceiling.");
        }

        if (c.BuyNowPriceCents is { } buyNow
            && (!InRange(buyNow) || buyNow <= c.StartingPriceCents || (c.ReservePriceCents is { } rp && buyNow < rp)))
        {
            Add("buy_now_price_cents", "buy_now_price_cents must be above the starting price, at least the reserve and within the ceiling.");
        }

        var startsAt = c.StartsAt ?? now;
        if (c.EndsAt <= startsAt || c.EndsAt <= now)
        {
            Add("ends_at", "ends_at must be in the future and after starts_at.");
        }

        if (c.SoftClose is { } soft && (soft.WindowSeconds <= 0 || soft.ExtensionSeconds <= 0 || soft.MaxExtensions < 0
            || soft.WindowSeconds > 86_400 || soft.ExtensionSeconds > 86_400 || soft.MaxExtensions > 1_000))
        {
            Add("soft_close", "soft_close needs window_seconds and extension_seconds in 1..86400 and max_extensions in 0..1000.");
        }

        return errors;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}

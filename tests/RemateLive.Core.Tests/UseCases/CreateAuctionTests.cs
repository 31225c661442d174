using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.UseCases;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.UseCases;

public sealed class CreateAuctionTests
{
    private readonly Harness _h = new();

    private CreateAuctionCommand Valid => new()
    {
        Title = "  Guitar  ",
        Description = "Vintage",
        Currency = "CLP",
        StartingPriceCents = 1_000,
        Increment = IncrementRule.Fixed(100),
        EndsAt = _h.Time.GetUtcNow().AddHours(2),
        SellerId = Seller,
    };

    [Fact]
    public async Task A_valid_auction_is_stored_open_now()
    {
        var result = await _h.CreateAuction.ExecuteAsync(Valid with { ReservePriceCents = 5_000, BuyNowPriceCents = 9_000 });

        Assert.True(result.Succeeded);
        Assert.Empty(result.Errors);
        var view = result.Auction!;
        Assert.Equal("Guitar", view.Title);
        Assert.Equal(AuctionStatus.Open, view.Status);
        Assert.Equal(0, view.Version);
        Assert.False(view.ReserveMet);
        Assert.Equal(9_000, view.BuyNowPriceCents);
        var stored = await _h.StateAsync(view.Id);
        Assert.Equal(5_000, stored.ReservePrice!.Value.Cents);
        Assert.Equal(_h.Time.GetUtcNow(), stored.StartsAt);
    }

    [Fact]
    public async Task A_future_start_is_scheduled()
    {
        var result = await _h.CreateAuction.ExecuteAsync(Valid with { StartsAt = _h.Time.GetUtcNow().AddHours(1) });
        Assert.Equal(AuctionStatus.Scheduled, result.Auction!.Status);
    }

    public static TheoryData<string, Func<CreateAuctionCommand, CreateAuctionCommand>> Invalid => new()
    {
        { "title", c => c with { Title = " " } },
        { "title", c => c with { Title = new string('t', 201) } },
        { "description", c => c with { Description = new string('d', 10_001) } },
        { "image_url", c => c with { ImageUrl = new string('i', 2_049) } },
        { "currency", c => c with { Currency = "usd" } },
        { "currency", c => c with { Currency = "DOLLAR" } },
        { "starting_price_cents", c => c with { StartingPriceCents = 0 } },
        { "starting_price_cents", c => c with { StartingPriceCents = Money.DefaultCeilingCents + 1 } },
        { "increment", c => c with { Increment = IncrementRule.Fixed(0) } },
        { "increment", c => c with { Increment = new IncrementRule { Kind = "golden" } } },
        { "increment", c => c with { Increment = IncrementRule.Tiered(new IncrementTier(5, 10)) } },
        { "reserve_price_cents", c => c with { ReservePriceCents = 999 } },
        { "buy_now_price_cents", c => c with { BuyNowPriceCents = 1_000 } },
        { "buy_now_price_cents", c => c with { ReservePriceCents = 5_000, BuyNowPriceCents = 4_000 } },
        { "ends_at", c => c with { EndsAt = c.EndsAt.AddDays(-1) } },
        { "ends_at", c => c with { StartsAt = c.EndsAt.AddHours(1) } },
        { "soft_close", c => c with { SoftClose = new SoftClosePolicy(0, 30, 1) } },
        { "soft_close", c => c with { SoftClose = new SoftClosePolicy(60, 30, -1) } },
        { "soft_close", c => c with { SoftClose = new SoftClosePolicy(60, 90_000, 1) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_fields_are_named_in_snake_case(string field, Func<CreateAuctionCommand, CreateAuctionCommand> breakIt)
    {
        var result = await _h.CreateAuction.ExecuteAsync(breakIt(Valid));

        Assert.False(result.Succeeded);
        Assert.Null(result.Auction);
        Assert.Equal([field], result.Errors.Keys);
        Assert.NotEmpty(result.Errors[field][0]);
        Assert.Empty(await _h.Store.ListAuctionsAsync());
    }

    [Fact]
    public async Task Several_errors_are_reported_together()
    {
        var result = await _h.CreateAuction.ExecuteAsync(Valid with { Title = "", Currency = "x", StartingPriceCents = -1 });
        Assert.Equal(new[] { "currency", "starting_price_cents", "title" }, result.Errors.Keys.Order());
    }
}

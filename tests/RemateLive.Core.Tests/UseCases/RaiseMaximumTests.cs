using RemateLive.Core.Tests.Support;
using RemateLive.Domain;
using RemateLive.Events;
using RemateLive.UseCases;
using static RemateLive.Core.Tests.Support.TestAuctions;

namespace RemateLive.Core.Tests.UseCases;

/// <summary>Raising a maximum goes through the auction's writer like a bid: committed, answered, exactly once by key.</summary>
public sealed class RaiseMaximumUseCaseTests
{
    private readonly UserId _ana = UserId.New();
    private readonly UserId _ben = UserId.New();

    private static Task<BidOutcome> RaiseAsync(Harness h, AuctionState auction, UserId bidder, long max, string? key = null) =>
        h.PlaceBid.RaiseMaximumAsync(new RaiseMaximumCommand(auction.Id, bidder, Name(bidder), max, key));

    [Fact]
    public async Task A_raise_is_committed_as_an_event_and_a_retry_of_its_key_replays_it()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        await h.BidAsync(auction, _ana, 1_000, max: 2_000);

        var first = await RaiseAsync(h, auction, _ana, 5_000, "raise-1");
        var retry = await RaiseAsync(h, auction, _ana, 9_000, "raise-1");

        Assert.True(first.Accepted);
        Assert.Equal(5_000, first.Raised!.Maximum.Cents);
        Assert.Equal(first.Committed, [first.Raised]);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Raised, retry.Raised);
        Assert.Equal(2, (await h.EventsAsync(auction.Id)).Count);
        var state = await h.StateAsync(auction.Id);
        Assert.Equal((5_000L, 1_000L), (state.LeaderMax!.Value.Cents, state.CurrentPrice!.Value.Cents));

        // The raised maximum then answers a challenger automatically.
        var ben = await h.BidAsync(auction, _ben, 4_000);
        Assert.True(ben.Accepted);
        Assert.Equal(_ana, (await h.StateAsync(auction.Id)).LeaderId);
    }

    [Fact]
    public async Task Refusals_are_remembered_under_their_key_and_invalid_amounts_never_reach_the_writer()
    {
        var h = new Harness();
        var auction = await h.AddAsync(State());
        await h.BidAsync(auction, _ana, 1_000);

        var notLeading = await RaiseAsync(h, auction, _ben, 5_000, "b-1");
        Assert.Equal(ErrorCodes.NotLeading, notLeading.Error!.Code);
        Assert.Equal(ErrorCodes.NotLeading, (await RaiseAsync(h, auction, _ben, 5_000, "b-1")).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidAmount, (await RaiseAsync(h, auction, _ana, 0)).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidAmount, (await RaiseAsync(h, auction, _ana, Money.DefaultCeilingCents + 1)).Error!.Code);
        Assert.Single(await h.EventsAsync(auction.Id));
    }
}

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>
/// Display names are not identities: two users named alike are told apart by their paddle number, and each
/// sees only their own bids marked <c>yours</c> (the reproduction of issue #11's impersonation finding).
/// </summary>
public sealed class PaddleTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Two_users_with_the_same_display_name_have_different_paddles_and_see_only_their_own_bids_as_yours()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var real = await Join(auctionId, "ana_real", "Ana");
        await using var copy = await Join(auctionId, "ana_copy", "Ana");

        await real.BidAsync(1_000);
        var realOwn = await real.NextAsync("bid_placed");
        var copySees = await copy.NextAsync("bid_placed");
        await copy.BidAsync(1_100);
        var copyOwn = await copy.NextAsync("bid_placed");
        var realSees = await real.NextAsync("bid_placed");

        Assert.Equal(realOwn.Str("bidder_name"), copyOwn.Str("bidder_name")); // the names cannot tell them apart
        Assert.Equal(1, realOwn.Num("paddle"));
        Assert.Equal(2, copyOwn.Num("paddle"));
        Assert.True(realOwn.Payload().GetProperty("yours").GetBoolean());
        Assert.False(copySees.Payload().GetProperty("yours").GetBoolean());
        Assert.True(copyOwn.Payload().GetProperty("yours").GetBoolean());
        Assert.False(realSees.Payload().GetProperty("yours").GetBoolean());
        Assert.Equal(2, (await real.NextAsync("outbid")).Num("paddle")); // outbid by paddle 2, not by "Ana"

        // A fresh connection learns who leads by paddle, and which recent bids are its own.
        await using var again = await _host.JoinAsync(auctionId, "ana_copy", token: copy.AuthOk.Str("token"));
        var auth = again.AuthOk.Payload();
        Assert.Equal(2, auth.GetProperty("auction").GetProperty("leader_paddle").GetInt32());
        var recent = auth.GetProperty("recent_bids").EnumerateArray().ToList();
        Assert.Equal([true, false], recent.Select(b => b.GetProperty("yours").GetBoolean()));
        Assert.Equal([2, 1], recent.Select(b => b.GetProperty("paddle").GetInt32()));
    }

    private async Task<TestSocket> Join(RemateLive.Domain.AuctionId auctionId, string username, string displayName)
    {
        var socket = await _host.ConnectAsync(auctionId);
        await socket.SendAsync(new { type = "auth", payload = new { username, display_name = displayName } });
        socket.AuthOk = await socket.NextAsync("auth_ok");
        return socket;
    }
}

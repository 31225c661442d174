using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>The native socket protocol over real Kestrel: auth, bids, fan-out, replay, presence.</summary>
public sealed class WebSocketProtocolTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Auth_with_a_new_username_returns_auth_ok_with_token_snapshot_and_online_count()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 5_000);
        await using var alice = await _host.JoinAsync(auctionId, "alice");

        var payload = alice.AuthOk.Payload();
        Assert.True(Guid.TryParse(payload.GetProperty("user_id").GetString(), out _));
        Assert.Equal("alice", payload.GetProperty("username").GetString());
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("token").GetString()));
        Assert.Equal(auctionId.ToString(), payload.GetProperty("auction").GetProperty("id").GetString());
        Assert.Equal(5_000, payload.GetProperty("auction").GetProperty("min_next_bid_cents").GetInt64());
        Assert.Equal("open", payload.GetProperty("auction").GetProperty("status").GetString());
        Assert.Equal(0, payload.GetProperty("recent_bids").GetArrayLength());
        Assert.Equal(1, payload.GetProperty("online_count").GetInt64());
        Assert.Equal("2026-11-28T12:00:00.000Z", payload.GetProperty("server_time").GetString());
    }

    [Fact]
    public async Task A_client_ping_is_answered_at_once_with_its_nonce_at_most_every_quarter_second()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var alice = await _host.JoinAsync(auctionId, "pinger");

        await alice.SendAsync(new { type = "ping", payload = new { nonce = "n-1" } });
        var pong = await alice.NextAsync("pong");
        Assert.Equal("n-1", pong.Str("nonce"));
        Assert.Equal("2026-11-28T12:00:00.000Z", pong.Str("server_time"));

        // A second ping in the same quarter second is not answered (pings cannot multiply our sends): the bad
        // ping after it is answered first (messages are handled in order), and the socket stays open.
        await alice.SendAsync(new { type = "ping", payload = new { nonce = "n-2" } });
        await alice.SendAsync(new { type = "ping", payload = new { nonce = new string('x', 65) } });
        var error = await alice.NextNonPingAsync();
        Assert.True(error.Type() == "error", error.GetRawText());
        Assert.Equal("INVALID_MESSAGE", error.Str("code"));

        _host.Time.Advance(TimeSpan.FromMilliseconds(250));
        await alice.SendAsync(new { type = "ping" });
        var next = await alice.NextNonPingAsync();
        Assert.Equal("pong", next.Type());
        Assert.True(JsonValueKind.Null == next.Payload().GetProperty("nonce").ValueKind, next.GetRawText());
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await alice.SendAsync(new { type = "ping", payload = new { nonce = "still-open" } });
        Assert.Equal("still-open", (await alice.NextAsync("pong")).Str("nonce"));
    }

    [Fact]
    public async Task A_token_from_auth_ok_reuses_the_identity_and_a_claimed_name_without_it_is_refused()
    {
        var auctionId = await _host.CreateAuctionAsync();
        string userId, token;
        await using (var first = await _host.JoinAsync(auctionId, "bob"))
        {
            userId = first.AuthOk.Str("user_id");
            token = first.AuthOk.Str("token");
        }

        await using var again = await _host.JoinAsync(auctionId, "bob", token: token);
        Assert.Equal(userId, again.AuthOk.Str("user_id"));

        await using var tokenOnly = await _host.ConnectAsync(auctionId);
        await tokenOnly.SendAsync(new { type = "auth", payload = new { token } });
        Assert.Equal(userId, (await tokenOnly.NextAsync("auth_ok")).Str("user_id"));

        await using var impostor = await _host.ConnectAsync(auctionId);
        await impostor.SendAsync(new { type = "auth", payload = new { username = "bob", display_name = "Not Bob" } });
        var error = await impostor.NextAsync("auth_error");
        Assert.Equal("USERNAME_TAKEN", error.Str("code"));
        Assert.False(string.IsNullOrEmpty(error.Str("error")));
    }

    [Fact]
    public async Task Identity_can_come_from_the_upgrade_request_so_auth_may_omit_the_username()
    {
        var auctionId = await _host.CreateAuctionAsync();
        var (user, token) = await _host.SignInAsync("carol");
        await using var socket = await _host.ConnectAsync(auctionId, o => o.SetRequestHeader("Authorization", $"Bearer {token}"));
        await socket.SendAsync(new { type = "auth", payload = new { } });
        var ok = await socket.NextAsync("auth_ok");
        Assert.Equal(user.Id.ToString(), ok.Str("user_id"));
        Assert.Equal("carol", ok.Str("username"));
    }

    [Fact]
    public async Task Two_clients_see_each_others_bids_with_identical_seq_and_only_the_bidder_gets_the_key()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        await using var bob = await _host.JoinAsync(auctionId, "bob");

        await alice.BidAsync(1_000, version: 0, idempotencyKey: "k-1");
        var aliceOwn = await alice.NextAsync("bid_placed");
        var bobSees = await bob.NextAsync("bid_placed");

        Assert.Equal(1, aliceOwn.Seq());
        Assert.Equal(aliceOwn.Seq(), bobSees.Seq());
        Assert.Equal(aliceOwn.Str("bid_id"), bobSees.Str("bid_id"));
        Assert.Equal("k-1", aliceOwn.Str("idempotency_key"));
        Assert.False(bobSees.Payload().TryGetProperty("idempotency_key", out _));
        Assert.Equal(1_000, bobSees.Num("amount_cents"));
        Assert.Equal(1, bobSees.Num("new_version"));
        Assert.Equal(1_100, bobSees.Num("min_next_bid_cents"));
        Assert.Equal("ALICE", bobSees.Str("bidder_name"));
        Assert.Equal("manual", bobSees.Str("kind"));

        await bob.BidAsync(1_100, version: 1);
        var second = await alice.NextAsync("bid_placed");
        Assert.Equal(2, second.Seq());
        Assert.Equal(2, (await bob.NextAsync("bid_placed")).Seq());

        // Alice lost the lead: she gets outbid right after the bid_placed that did it; Bob does not.
        var outbid = await alice.NextNonPingAsync();
        Assert.Equal("outbid", outbid.Type());
        Assert.Equal(2, outbid.Seq());
        Assert.Equal(1_100, outbid.Num("amount_cents"));
        Assert.Equal("BOB", outbid.Str("bidder_name"));
        Assert.DoesNotContain(bob.Received, m => m.Type() == "outbid");
    }

    [Fact]
    public async Task A_stale_version_with_a_still_valid_amount_is_accepted()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        await using var bob = await _host.JoinAsync(auctionId, "bob");
        await alice.BidAsync(1_000, version: 0);
        await bob.NextAsync("bid_placed");

        await bob.BidAsync(5_000, version: 0); // saw version 0, current is 1
        var placed = await bob.NextAsync("bid_placed");
        Assert.Equal(5_000, placed.Num("amount_cents"));
        Assert.Equal(2, placed.Seq());
    }

    [Fact]
    public async Task A_too_low_bid_gets_bid_error_with_the_current_state_and_the_key()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        await alice.BidAsync(1_000);
        await alice.NextAsync("bid_placed");

        await alice.BidAsync(1_050, version: 1, idempotencyKey: "low-1");
        var error = await alice.NextAsync("bid_error");
        Assert.Equal("BID_TOO_LOW", error.Str("code"));
        Assert.Equal("low-1", error.Str("idempotency_key"));
        Assert.Equal(1_000, error.Num("current_price_cents"));
        Assert.Equal(1_100, error.Num("min_next_bid_cents"));
        Assert.Equal(1, error.Num("version"));
        Assert.False(string.IsNullOrEmpty(error.Str("error")));
    }

    [Fact]
    public async Task Reconnecting_with_last_seq_replays_exactly_the_missed_events_then_live_ones()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var bidder = await _host.JoinAsync(auctionId, "alice");
        long lastSeen;
        await using (var watcher = await _host.JoinAsync(auctionId, "watcher"))
        {
            await bidder.BidAsync(1_000);
            lastSeen = (await watcher.NextAsync("bid_placed")).Seq();
        }

        await bidder.BidAsync(1_100);
        await bidder.NextAsync("bid_placed");
        await bidder.BidAsync(1_200);
        await bidder.NextAsync("bid_placed");
        await bidder.BidAsync(1_300);
        await bidder.NextAsync("bid_placed");

        await using var back = await _host.JoinAsync(auctionId, "watcher2", lastSeq: lastSeen);
        var replayed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            replayed.Add((await back.NextAsync("bid_placed")).Seq());
        }

        Assert.Equal([2L, 3L, 4L], replayed);

        await bidder.BidAsync(1_400);
        Assert.Equal(5, (await back.NextAsync("bid_placed")).Seq());
        Assert.Equal(4, back.Received.Count(m => m.Type() == "bid_placed")); // none twice
    }

    [Fact]
    public async Task Resume_on_an_open_connection_replays_after_last_seq_in_order_without_duplicates()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        for (var amount = 1_000; amount <= 1_200; amount += 100)
        {
            await alice.BidAsync(amount);
            await alice.NextAsync("bid_placed");
        }

        await alice.SendAsync(new { type = "resume", payload = new { last_seq = 1 } });
        Assert.Equal(2, (await alice.NextAsync("bid_placed")).Seq());
        Assert.Equal(3, (await alice.NextAsync("bid_placed")).Seq());
        await alice.BidAsync(1_300);
        Assert.Equal(4, (await alice.NextAsync("bid_placed")).Seq());

        // Nothing missed: resume with the latest seq sends nothing, the next live event follows.
        await alice.SendAsync(new { type = "resume", payload = new { last_seq = 4 } });
        await alice.BidAsync(1_400);
        Assert.Equal(5, (await alice.NextAsync("bid_placed")).Seq());
        Assert.Equal([1L, 2L, 3L, 2L, 3L, 4L, 5L], alice.Received.Where(m => m.Type() == "bid_placed").Select(m => m.Seq()));
    }

    [Fact]
    public async Task An_idempotent_retry_after_a_dropped_connection_returns_the_first_outcome()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        string token, bidId;
        await using (var first = await _host.JoinAsync(auctionId, "alice"))
        {
            token = first.AuthOk.Str("token");
            await first.BidAsync(1_000, idempotencyKey: "retry-1");
            bidId = (await first.NextAsync("bid_placed")).Str("bid_id");
            first.Socket.Abort(); // dropped before the client could trust the ack
        }

        await using var retry = await _host.JoinAsync(auctionId, "alice", token: token);
        Assert.Equal(1, retry.AuthOk.Payload().GetProperty("auction").GetProperty("version").GetInt64());
        await retry.BidAsync(1_000, idempotencyKey: "retry-1");
        var again = await retry.NextAsync("bid_placed");
        Assert.Equal(bidId, again.Str("bid_id"));
        Assert.Equal("retry-1", again.Str("idempotency_key"));
        Assert.Equal(1, again.Seq());

        var queries = _host.Services.GetRequiredService<AuctionQueries>();
        Assert.Single((await queries.GetBidsAsync(auctionId, null, 50))!);
    }

    [Fact]
    public async Task Presence_counts_users_not_tabs_and_rises_and_falls()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var alice = await _host.JoinAsync(auctionId, "alice");
        var bobToken = "";
        var bobTab1 = await _host.JoinAsync(auctionId, "bob");
        bobToken = bobTab1.AuthOk.Str("token");
        Assert.Equal(2, bobTab1.AuthOk.Num("online_count"));
        var joined = await alice.NextAsync("user_joined");
        Assert.Equal("bob", joined.Str("username"));
        Assert.Equal("BOB", joined.Str("display_name"));
        Assert.Equal(2, joined.Num("online_count"));

        var bobTab2 = await _host.JoinAsync(auctionId, "bob", token: bobToken); // second tab: no new user
        Assert.Equal(2, bobTab2.AuthOk.Num("online_count"));
        await bobTab1.DisposeAsync();
        await bobTab2.DisposeAsync();

        var left = await alice.NextAsync("user_left");
        Assert.Equal("bob", left.Str("username"));
        Assert.Equal(1, left.Num("online_count"));
        Assert.Single(alice.Received, m => m.Type() == "user_joined");
        Assert.Single(alice.Received, m => m.Type() == "user_left");
    }

    [Fact]
    public async Task Auction_extended_closed_and_cancelled_reach_the_room_with_seq()
    {
        var soft = await _host.CreateAuctionAsync(startingPriceCents: 1_000, duration: TimeSpan.FromSeconds(30), softClose: new SoftClosePolicy(60, 120, 3), reservePriceCents: 1_500);
        await using var alice = await _host.JoinAsync(soft, "alice");
        await alice.BidAsync(2_000);
        Assert.Equal(1, (await alice.NextAsync("bid_placed")).Seq());
        var extended = await alice.NextAsync("auction_extended");
        Assert.Equal(2, extended.Seq());
        Assert.Equal(1, extended.Num("extensions"));
        Assert.Equal("2026-11-28T12:02:30.000Z", extended.Str("ends_at")); // 12:00:30 + 120 s

        await _host.Services.GetRequiredService<CloseAuction>().ExecuteAsync(soft);
        var closed = await alice.NextAsync("auction_closed");
        Assert.Equal(3, closed.Seq());
        Assert.Equal("ALICE", closed.Str("winner_name"));
        Assert.Equal(2_000, closed.Num("final_price_cents"));
        Assert.True(closed.Payload().GetProperty("reserve_met").GetBoolean());

        await alice.BidAsync(3_000, idempotencyKey: "late");
        Assert.Equal("AUCTION_CLOSED", (await alice.NextAsync("bid_error")).Str("code"));

        var other = await _host.CreateAuctionAsync();
        await using var bob = await _host.JoinAsync(other, "bob");
        await _host.Services.GetRequiredService<CancelAuction>().ExecuteAsync(other, "Withdrawn by the seller");
        var cancelled = await bob.NextAsync("auction_cancelled");
        Assert.Equal(1, cancelled.Seq());
        Assert.Equal("Withdrawn by the seller", cancelled.Str("reason"));
    }

    [Fact]
    public async Task Unknown_or_invalid_auction_ids_are_refused_with_404_before_the_upgrade()
    {
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-guid" })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_host.SocketUri(id), CancellationToken.None));
            Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
        }

        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        var auctionId = await _host.CreateAuctionAsync();
        var plain = await http.GetAsync($"/ws/auctions/{auctionId}");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        var problem = JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("INVALID_MESSAGE", problem.GetProperty("code").GetString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Rest;

public sealed class AuctionQueryApiTests(RemateAppFactory app) : IClassFixture<RemateAppFactory>
{
    [Fact]
    public async Task Get_auction_returns_the_spec_object_without_secrets()
    {
        var now = app.Time.GetUtcNow();
        var created = await app.CreateAuctionAsync(new
        {
            title = "Reserved lot",
            currency = "CLP",
            starting_price_cents = 10_000,
            reserve_price_cents = 50_000,
            increment = new { kind = "percent", basis_points = 500 },
            ends_at = now.AddHours(2),
        });
        using var client = app.CreateClient();

        var auction = await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{created["id"]}"));

        foreach (var field in new[] { "id", "title", "description", "image_url", "currency", "status", "starting_price_cents", "current_price_cents",
            "min_next_bid_cents", "bid_count", "leader_name", "reserve_met", "buy_now_price_cents", "starts_at", "ends_at", "extensions", "version", "server_time" })
        {
            Assert.True(auction.AsObject().ContainsKey(field), $"missing {field}");
        }

        Assert.Equal("open", auction["status"]!.GetValue<string>());
        Assert.False(auction["reserve_met"]!.GetValue<bool>());
        Assert.DoesNotContain("50000", auction.ToJsonString(), StringComparison.Ordinal); // the reserve amount never leaks
        Assert.DoesNotContain("reserve_price", auction.ToJsonString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", auction["ends_at"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", auction["server_time"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    public async Task Unknown_or_malformed_auction_ids_are_NOT_FOUND(string id)
    {
        using var client = app.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/auctions/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/auctions/{id}/bids"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/auctions/{id}/events"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task List_filters_by_status_and_rejects_unknown_statuses()
    {
        var open = await app.CreateAuctionAsync();
        var cancelled = await app.CreateAuctionAsync();
        using (var admin = await app.CreateAdminClientAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/auctions/{cancelled["id"]}/cancel", new { reason = "test" })).StatusCode);
        }

        using var client = app.CreateClient();
        var openIds = Ids(await RemateAppFactory.ReadJsonAsync(await client.GetAsync("/api/auctions?status=open")));
        var cancelledIds = Ids(await RemateAppFactory.ReadJsonAsync(await client.GetAsync("/api/auctions?status=cancelled")));
        var all = Ids(await RemateAppFactory.ReadJsonAsync(await client.GetAsync("/api/auctions")));

        Assert.Contains(open["id"]!.GetValue<string>(), openIds);
        Assert.DoesNotContain(cancelled["id"]!.GetValue<string>(), openIds);
        Assert.Contains(cancelled["id"]!.GetValue<string>(), cancelledIds);
        Assert.Superset(openIds.Concat(cancelledIds).ToHashSet(), all.ToHashSet());
        await ProblemAssert.IsValidationAsync(await client.GetAsync("/api/auctions?status=sold"), "status");
    }

    [Fact]
    public async Task Catalogue_searches_sorts_and_pages_by_the_Link_header()
    {
        var tag = "c" + Guid.NewGuid().ToString("N")[..10];
        var now = app.Time.GetUtcNow();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var a = await app.CreateAuctionAsync(new
            {
                title = $"Vintage camera {i} {tag}",
                currency = "USD",
                starting_price_cents = 1_000 * (5 - i),
                increment = new { kind = "fixed", amount_cents = 100 },
                ends_at = now.AddHours(1 + i),
            });
            created.Add(a["id"]!.GetValue<string>());
        }

        using var client = app.CreateClient();
        var seen = new List<string>();
        var url = $"/api/auctions?q=CAM+{tag}&sort=price_asc&limit=2";
        for (var pages = 0; url is not null; pages++)
        {
            Assert.True(pages < 5, "the Link header must end");
            var response = await client.GetAsync(url);
            var page = Ids(await RemateAppFactory.ReadJsonAsync(response));
            Assert.InRange(page.Count, 1, 2);
            seen.AddRange(page);
            url = response.Headers.TryGetValues("Link", out var links)
                ? System.Text.RegularExpressions.Regex.Match(links.Single(), "^<([^>]+)>; rel=\"next\"$").Groups[1].Value
                : null;
        }

        Assert.Equal(Enumerable.Reverse(created), seen); // cheapest first: the last created is the cheapest
        Assert.Equal(created, Ids(await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions?q={tag}&status=open"))));
        Assert.Empty(Ids(await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions?q={tag}+tripod"))));

        await ProblemAssert.IsValidationAsync(await client.GetAsync("/api/auctions?sort=cheapest"), "sort");
        await ProblemAssert.IsValidationAsync(await client.GetAsync("/api/auctions?limit=0"), "limit");
        await ProblemAssert.IsValidationAsync(await client.GetAsync("/api/auctions?limit=101"), "limit");
        await ProblemAssert.IsValidationAsync(await client.GetAsync("/api/auctions?cursor=not-a-cursor"), "cursor");
        await ProblemAssert.IsValidationAsync(await client.GetAsync($"/api/auctions?q={new string('x', 201)}"), "q");
        var first = await client.GetAsync($"/api/auctions?q={tag}&sort=newest&limit=1");
        var newestCursor = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://x"), first.Headers.GetValues("Link").Single()[1..^13]).Query)["cursor"];
        await ProblemAssert.IsValidationAsync(await client.GetAsync($"/api/auctions?sort=price_asc&cursor={newestCursor}"), "cursor"); // a cursor belongs to its sort
    }

    [Fact]
    public async Task My_bids_show_where_the_signed_in_bidder_stands_and_only_their_own_maximum()
    {
        var leading = (await app.CreateAuctionAsync())["id"]!.GetValue<string>();
        var outbid = (await app.CreateAuctionAsync())["id"]!.GetValue<string>();
        var won = (await app.CreateAuctionAsync())["id"]!.GetValue<string>();
        using var alice = await app.CreateBidderClientAsync();
        using var bob = await app.CreateBidderClientAsync();
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{leading}/bids", new { amount_cents = 1_000, max_amount_cents = 5_000 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{outbid}/bids", new { amount_cents = 1_000 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsJsonAsync($"/api/auctions/{outbid}/bids", new { amount_cents = 1_500 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{won}/bids", new { amount_cents = 1_000 })).StatusCode);
        using (var admin = await app.CreateAdminClientAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/auctions/{won}/close", null)).StatusCode);
        }

        var mine = (await RemateAppFactory.ReadJsonAsync(await alice.GetAsync("/api/me/bids"))).AsArray();
        var byId = mine.ToDictionary(m => m!["auction"]!["id"]!.GetValue<string>(), m => m!);
        Assert.Equal(3, mine.Count);
        Assert.Equal("leading", byId[leading]["status"]!.GetValue<string>());
        Assert.Equal(5_000, byId[leading]["max_cents"]!.GetValue<long>()); // her own maximum, to her
        Assert.Equal("outbid", byId[outbid]["status"]!.GetValue<string>());
        Assert.Null(byId[outbid]["max_cents"]);
        Assert.Equal(1_000, byId[outbid]["highest_bid_cents"]!.GetValue<long>());
        Assert.Equal("won", byId[won]["status"]!.GetValue<string>());

        var bobs = (await RemateAppFactory.ReadJsonAsync(await bob.GetAsync("/api/me/bids"))).AsArray();
        Assert.Equal(outbid, Assert.Single(bobs)!["auction"]!["id"]!.GetValue<string>());
        Assert.Equal("leading", bobs[0]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("5000", bobs.ToJsonString(), StringComparison.Ordinal); // Alice's maximum never reaches Bob
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/api/me/bids"), HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
        await ProblemAssert.IsValidationAsync(await alice.GetAsync("/api/me/bids?limit=0"), "limit");
    }

    [Fact]
    public async Task The_watchlist_is_per_user_idempotent_and_newest_first()
    {
        var first = (await app.CreateAuctionAsync())["id"]!.GetValue<string>();
        var second = (await app.CreateAuctionAsync())["id"]!.GetValue<string>();
        using var alice = await app.CreateBidderClientAsync();
        using var bob = await app.CreateBidderClientAsync();
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync($"/api/me/watchlist/{first}", null)).StatusCode);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync($"/api/me/watchlist/{second}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PutAsync($"/api/me/watchlist/{first}", null)).StatusCode); // idempotent

        Assert.Equal([second, first], Ids(await RemateAppFactory.ReadJsonAsync(await alice.GetAsync("/api/me/watchlist"))));
        Assert.Empty(Ids(await RemateAppFactory.ReadJsonAsync(await bob.GetAsync("/api/me/watchlist"))));

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/me/watchlist/{second}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/me/watchlist/{second}")).StatusCode);
        Assert.Equal([first], Ids(await RemateAppFactory.ReadJsonAsync(await alice.GetAsync("/api/me/watchlist"))));

        await ProblemAssert.IsProblemAsync(await alice.PutAsync($"/api/me/watchlist/{Guid.NewGuid()}", null), HttpStatusCode.NotFound, "NOT_FOUND");
        await ProblemAssert.IsProblemAsync(await anonymous.PutAsync($"/api/me/watchlist/{first}", null), HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/api/me/watchlist"), HttpStatusCode.Unauthorized, "NOT_AUTHENTICATED");
    }

    [Fact]
    public async Task Bids_are_newest_first_and_page_with_before_seq_and_limit()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var alice = await app.CreateBidderClientAsync();
        using var bob = await app.CreateBidderClientAsync();
        for (var i = 0; i < 4; i++)
        {
            var bidder = i % 2 == 0 ? alice : bob;
            Assert.Equal(HttpStatusCode.Created, (await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000 + (i * 100) })).StatusCode);
        }

        using var client = app.CreateClient();
        var all = (await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{id}/bids"))).AsArray();
        var page = (await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{id}/bids?limit=2&before_seq=3"))).AsArray();

        Assert.Equal([4L, 3L, 2L, 1L], all.Select(b => b!["seq"]!.GetValue<long>()));
        Assert.Equal([1_300L, 1_200L, 1_100L, 1_000L], all.Select(b => b!["amount_cents"]!.GetValue<long>()));
        Assert.Equal([2L, 1L], page.Select(b => b!["seq"]!.GetValue<long>()));
        Assert.All(all, b => Assert.Equal("manual", b!["kind"]!.GetValue<string>()));
        await ProblemAssert.IsValidationAsync(await client.GetAsync($"/api/auctions/{id}/bids?limit=0"), "limit");
        await ProblemAssert.IsValidationAsync(await client.GetAsync($"/api/auctions/{id}/bids?limit=501&before_seq=x"), "limit", "before_seq");
    }

    [Fact]
    public async Task Events_replay_durable_events_in_seq_order_with_socket_payloads()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var alice = await app.CreateBidderClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000, idempotency_key = "secret-key" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_500 })).StatusCode);
        using (var admin = await app.CreateAdminClientAsync())
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/auctions/{id}/close", null)).StatusCode);
        }

        using var client = app.CreateClient();
        var events = (await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{id}/events"))).AsArray();
        var after = (await RemateAppFactory.ReadJsonAsync(await client.GetAsync($"/api/auctions/{id}/events?after_seq=1&limit=1"))).AsArray();

        Assert.Equal(["bid_placed", "bid_placed", "auction_closed"], events.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e!["payload"]!["seq"]!.GetValue<long>()));
        var first = events[0]!["payload"]!.AsObject();
        Assert.Equal(1_000, first["amount_cents"]!.GetValue<long>());
        Assert.Equal(1, first["new_version"]!.GetValue<long>());
        Assert.False(first.ContainsKey("idempotency_key"), "the key is only for the bidder");
        Assert.Equal(1_500, events[2]!["payload"]!["final_price_cents"]!.GetValue<long>());
        Assert.Single(after);
        Assert.Equal(2, after[0]!["payload"]!["seq"]!.GetValue<long>());
        await ProblemAssert.IsValidationAsync(await client.GetAsync($"/api/auctions/{id}/events?after_seq=-1"), "after_seq");
    }

    private static List<string> Ids(JsonNode list) => [.. list.AsArray().Select(a => a!["id"]!.GetValue<string>())];
}

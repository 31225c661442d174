using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>
/// Raising one's maximum over a real socket and over REST: the leader's copy carries the amount, nobody else's
/// does; the price does not move; the raised maximum then defends the lead by itself.
/// </summary>
public sealed class RaiseMaxTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_leaders_raise_is_secret_keeps_the_price_and_defends_the_lead()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var ana = await _host.JoinAsync(auctionId, "ana");
        await using var ben = await _host.JoinAsync(auctionId, "ben");
        await ana.BidAsync(1_000, idempotencyKey: "a-1");
        await ana.NextAsync("bid_placed");
        await ben.NextAsync("bid_placed");

        await ana.SendAsync(new { type = "raise_max", payload = new { max_amount_cents = 5_000, idempotency_key = "a-2" } });
        var own = await ana.NextAsync("max_raised");
        var seen = await ben.NextAsync("max_raised");

        Assert.Equal((5_000L, "a-2", true), (own.Num("max_amount_cents"), own.Str("idempotency_key"), own.Payload().GetProperty("yours").GetBoolean()));
        Assert.False(seen.Payload().TryGetProperty("max_amount_cents", out _));
        Assert.False(seen.Payload().TryGetProperty("idempotency_key", out _));
        Assert.Equal((2L, 1L), (seen.Seq(), seen.Num("paddle")));
        Assert.DoesNotContain("5000", seen.GetRawText(), StringComparison.Ordinal);

        // A reconnecting leader is told their maximum; nobody else is.
        await using (var anaAgain = await _host.JoinAsync(auctionId, "ana", token: ana.AuthOk.Str("token")))
        {
            Assert.Equal(5_000, anaAgain.AuthOk.Num("your_max_cents"));
        }

        await using (var benAgain = await _host.JoinAsync(auctionId, "ben", token: ben.AuthOk.Str("token")))
        {
            Assert.Equal(JsonValueKind.Null, benAgain.AuthOk.Payload().GetProperty("your_max_cents").ValueKind);
        }

        // The retried key answers the same raise, not a second one; a non-leader is refused.
        await ana.SendAsync(new { type = "raise_max", payload = new { max_amount_cents = 9_000, idempotency_key = "a-2" } });
        Assert.Equal(2L, (await ana.NextAsync("max_raised")).Seq());
        await ben.SendAsync(new { type = "raise_max", payload = new { max_amount_cents = 9_000, idempotency_key = "b-1" } });
        var refused = await ben.NextAsync("bid_error");
        Assert.Equal(("NOT_LEADING", "b-1", 1_000L), (refused.Str("code"), refused.Str("idempotency_key"), refused.Num("current_price_cents")));

        // Ben's bid above Ana's old maximum is answered by her new one: she keeps the lead, one increment above.
        await ben.BidAsync(3_000, idempotencyKey: "b-2");
        var answer = await ben.NextAsync("bid_placed");
        answer = answer.Num("amount_cents") == 3_000 ? await ben.NextAsync("bid_placed") : answer;
        Assert.Equal((3_100L, 1L, "proxy"), (answer.Num("amount_cents"), answer.Num("paddle"), answer.Str("kind")));

        // The public event log tells nobody the amount either.
        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        var events = await http.GetFromJsonAsync<JsonElement>($"/api/auctions/{auctionId}/events?after_seq=0");
        var logged = events.EnumerateArray().Single(e => e.Type() == "max_raised");
        Assert.False(logged.Payload().TryGetProperty("max_amount_cents", out _));
    }

    [Fact]
    public async Task Rest_raises_with_problem_details_for_refusals()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000, incrementCents: 100);
        await using var ana = await _host.JoinAsync(auctionId, "ana");
        await ana.BidAsync(1_000);
        await ana.NextAsync("bid_placed");
        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ana.AuthOk.Str("token"));

        var raised = await http.PostAsJsonAsync($"/api/auctions/{auctionId}/max", new { max_amount_cents = 4_000, idempotency_key = "r-1" });
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var body = await raised.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((4_000L, 2L), (body.GetProperty("max_amount_cents").GetInt64(), body.GetProperty("seq").GetInt64()));

        var tooLow = await http.PostAsJsonAsync($"/api/auctions/{auctionId}/max", new { max_amount_cents = 3_000 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLow.StatusCode);
        Assert.Equal("MAX_TOO_LOW", (await tooLow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var invalid = await http.PostAsJsonAsync($"/api/auctions/{auctionId}/max", new { max_amount_cents = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        http.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync($"/api/auctions/{auctionId}/max", new { max_amount_cents = 9_000 })).StatusCode);
    }
}

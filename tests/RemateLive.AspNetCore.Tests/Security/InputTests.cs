using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 6: invalid UTF-16 on the socket is an <c>error</c> (socket open); REST bodies are small, strict JSON.</summary>
public sealed class InputTests : IClassFixture<RemateAppFactory>, IAsyncLifetime
{
    private readonly RemateAppFactory _app;
    private RealtimeTestHost _host = null!;

    public InputTests(RemateAppFactory app) => _app = app;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("""{"type":"\ud800"}""")]
    [InlineData("""{"type":"auth","payload":{"username":"ana\udfff"}}""")]
    [InlineData("""{"type":"pong","extra":["ok","\udc00x"]}""")]
    [InlineData("""{"type":"pong","\ud83d":1}""")]
    [InlineData("""{"type":"bid","payload":{"amount_cents":1000,"idempotency_key":"\ud800\ud800"}}""")]
    public async Task A_lone_surrogate_anywhere_is_INVALID_MESSAGE_and_the_socket_stays_open(string frame)
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var socket = await _host.ConnectAsync(auctionId);

        await socket.SendRawAsync(frame);
        var error = await socket.NextNonPingAsync();

        Assert.Equal("error", error.Type());
        Assert.Equal("INVALID_MESSAGE", error.Str("code"));
        await socket.SendAsync(new { type = "auth", payload = new { username = "after_surrogate" } });
        Assert.Equal("auth_ok", (await socket.NextNonPingAsync()).Type());
    }

    [Fact]
    public async Task A_1_MB_bid_body_is_413_before_it_is_parsed()
    {
        var auction = await _app.CreateAuctionAsync();
        using var bidder = await _app.CreateBidderClientAsync();
        var huge = "{\"amount_cents\":1000,\"idempotency_key\":\"" + new string('k', 1024 * 1024) + "\"}";

        var response = await bidder.PostAsync($"/api/auctions/{auction["id"]}/bids", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_16_KiB_is_413()
    {
        using var anonymous = _app.CreateClient();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"username\":\"" + new string('a', 20_000) + "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/json-ish")]
    public async Task Bodies_that_are_not_application_json_are_415(string contentType)
    {
        using var anonymous = _app.CreateClient();
        var content = new StringContent("""{"username":"strict_json"}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await anonymous.PostAsync("/api/auth/login", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/login", new { username = RemateAppFactory.UniqueName("strict") })).StatusCode);
    }
}

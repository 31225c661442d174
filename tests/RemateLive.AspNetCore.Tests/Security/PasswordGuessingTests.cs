using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 2: password guessing over the WebSocket <c>auth</c> message is limited like REST login.</summary>
public sealed class PasswordGuessingTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sixty_guesses_over_sockets_are_mostly_RATE_LIMITED_and_each_socket_closes_after_three_failures()
    {
        var identity = _host.Services.GetRequiredService<RemateIdentity>();
        Assert.Null((await identity.SignInAsync("victim", null, "correct horse battery", null, null, CancellationToken.None)).Error);
        var auctionId = await _host.CreateAuctionAsync();

        var codes = new List<string>();
        for (var s = 0; s < 20; s++)
        {
            await using var socket = await _host.ConnectAsync(auctionId);
            for (var guess = 0; guess < 3; guess++)
            {
                await socket.SendAsync(new { type = "auth", payload = new { username = "victim", password = $"guess-{s}-{guess}" } });
                codes.Add((await socket.NextAsync("auth_error")).Str("code"));
            }

            // A fourth guess on the same socket is not read: the server closes it (1008).
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ReceiveCloseAsync());
        }

        Assert.Equal(60, codes.Count);
        Assert.True(codes.Count(c => c == "USERNAME_TAKEN") <= 3, string.Join(",", codes)); // back-off after 3 failures (the clock stands still)
        Assert.True(codes.Count(c => c == "RATE_LIMITED") >= 57, string.Join(",", codes));

        // REST shares the same limits: the right password is refused too until the back-off passes.
        using var http = new HttpClient { BaseAddress = _host.BaseUri };
        var rest = await http.PostAsync("/api/auth/login", new StringContent("""{"username":"victim","password":"correct horse battery"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.NotNull(rest.Headers.RetryAfter);

        _host.Time.Advance(TimeSpan.FromMinutes(16));
        rest = await http.PostAsync("/api/auth/login", new StringContent("""{"username":"victim","password":"correct horse battery"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, rest.StatusCode);
    }

    [Fact]
    public async Task Spraying_many_usernames_from_one_address_hits_the_per_IP_limit()
    {
        var identity = _host.Services.GetRequiredService<RemateIdentity>();
        var auctionId = await _host.CreateAuctionAsync();
        for (var i = 0; i < 25; i++)
        {
            Assert.Null((await identity.SignInAsync($"sprayed{i}", null, "the-password", null, System.Net.IPAddress.Parse($"10.0.0.{i + 1}"), CancellationToken.None)).Error);
        }

        var codes = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            await using var socket = await _host.ConnectAsync(auctionId);
            await socket.SendAsync(new { type = "auth", payload = new { username = $"sprayed{i}", password = "wrong-password" } });
            codes.Add((await socket.NextAsync("auth_error")).Str("code"));
        }

        Assert.Contains("RATE_LIMITED", codes);
        Assert.True(codes.Count(c => c == "USERNAME_TAKEN") <= 20, string.Join(",", codes));
    }
}

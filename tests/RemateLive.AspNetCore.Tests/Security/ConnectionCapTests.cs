using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 5: concurrent connections per user and per IP on both transports; the hub is rate limited like /ws.</summary>
public sealed class ConnectionCapTests
{
    [Fact]
    public async Task One_token_holds_at_most_16_sockets_by_default_and_a_closed_one_frees_its_slot()
    {
        await using var host = await RealtimeTestHost.StartAsync();
        var auctionId = await host.CreateAuctionAsync();
        var (_, token) = await host.SignInAsync("hoarder");
        var sockets = new List<TestSocket>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                sockets.Add(await host.JoinAsync(auctionId, "hoarder", token: token));
            }

            await using var extra = await host.ConnectAsync(auctionId);
            await extra.SendAsync(new { type = "auth", payload = new { username = "hoarder", token } });
            var refused = await extra.NextAsync("auth_error");
            Assert.Equal("RATE_LIMITED", refused.Str("code"));
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await extra.ReceiveCloseAsync());

            // Another user is not affected; and once one of the 16 closes, the user may connect again.
            await using var other = await host.JoinAsync(auctionId, "someone_else");
            await sockets[0].DisposeAsync();
            sockets.RemoveAt(0);
            await Eventually(async () =>
            {
                await using var again = await host.ConnectAsync(auctionId);
                await again.SendAsync(new { type = "auth", payload = new { username = "hoarder", token } });
                return (await again.NextNonPingAsync()).Type() == "auth_ok";
            });
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sockets_over_the_per_IP_cap_are_refused_with_429_before_the_upgrade()
    {
        await using var host = await RealtimeTestHost.StartAsync(o => o.Realtime.MaxConnectionsPerIp = 3);
        var auctionId = await host.CreateAuctionAsync();
        await using var a = await host.ConnectAsync(auctionId);
        await using var b = await host.ConnectAsync(auctionId);
        await using var c = await host.ConnectAsync(auctionId);

        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(host.SocketUri(auctionId), CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.HttpStatusCode);
    }

    [Fact]
    public async Task Hub_connections_share_the_per_user_cap()
    {
        await using var host = await RealtimeTestHost.StartAsync(o => o.Realtime.MaxConnectionsPerUser = 2);
        var auctionId = await host.CreateAuctionAsync();
        var (_, token) = await host.SignInAsync("hubhoarder");
        await using var socket = await host.JoinAsync(auctionId, "hubhoarder", token: token);
        await using var first = await StartHubAsync(host, token);

        var error = await RefusedAsync(host, token);

        Assert.Contains("RATE_LIMITED", error, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, first.State);
    }

    [Fact]
    public async Task The_hub_has_the_same_connection_rate_limit_as_the_socket()
    {
        await using var host = await RealtimeTestHost.StartAsync(o =>
        {
            o.RateLimits.ConnectionBurst = 2;
            o.RateLimits.ConnectionsPerSecond = 0.001;
        });
        var (_, token) = await host.SignInAsync("rapid");
        await using var first = await StartHubAsync(host, token);
        await using var second = await StartHubAsync(host, token);

        var error = await RefusedAsync(host, token);

        Assert.Contains("RATE_LIMITED", error, StringComparison.Ordinal);
    }

    private static HubConnection Build(RealtimeTestHost host, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(host.BaseUri, "/hubs/auctions"), HttpTransportType.WebSockets, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();

    private static async Task<HubConnection> StartHubAsync(RealtimeTestHost host, string token)
    {
        var connection = Build(host, token);
        await connection.StartAsync();
        return connection;
    }

    // The server refuses in OnConnectedAsync: the start fails or the connection closes right after it, with the reason.
    private static async Task<string> RefusedAsync(RealtimeTestHost host, string token)
    {
        await using var connection = Build(host, token);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync();
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }

        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return reason?.ToString() ?? "closed without a reason";
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The condition never held.");
    }
}

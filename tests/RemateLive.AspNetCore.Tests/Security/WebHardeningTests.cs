using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 8: the sample's browser headers, the Origin check on upgrades, no token in the logs.</summary>
public sealed class WebHardeningTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/api/auctions")]
    [InlineData("/auctions/some-client-route")]
    public async Task The_sample_sends_CSP_without_framing_nosniff_and_a_referrer_policy(string path)
    {
        await using var app = new RemateAppFactory();
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task A_library_host_gets_no_headers_it_did_not_ask_for()
    {
        await using var host = await RealtimeTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };

        var response = await http.GetAsync("/api/auctions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task A_cookie_authenticated_upgrade_from_another_origin_is_403_and_same_origin_or_bearer_clients_pass()
    {
        await using var host = await RealtimeTestHost.StartAsync();
        var auctionId = await host.CreateAuctionAsync();
        var self = $"http://{host.BaseUri.Authority}";

        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeStatusAsync(host, auctionId, "https://evil.example", cookie: true));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, auctionId, self, cookie: true));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, auctionId, "https://other.example", cookie: false));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, auctionId, null, cookie: true));
    }

    [Fact]
    public async Task Configured_allowed_origins_are_enforced_on_the_socket_and_the_hub()
    {
        await using var host = await RealtimeTestHost.StartAsync(o => o.Realtime.AllowedOrigins.Add("https://auctions.example"));
        var auctionId = await host.CreateAuctionAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeStatusAsync(host, auctionId, "https://evil.example", cookie: false));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeStatusAsync(host, auctionId, "https://auctions.example", cookie: false));

        var (_, token) = await host.SignInAsync("origin_hub");
        await using var evil = HubFrom(host, token, "https://evil.example");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        evil.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        string reason;
        try
        {
            await evil.StartAsync();
            reason = (await closed.Task.WaitAsync(TimeSpan.FromSeconds(10)))?.Message ?? "";
        }
        catch (Exception ex)
        {
            reason = ex.Message;
        }

        Assert.Contains("FORBIDDEN", reason, StringComparison.Ordinal);
        await using var good = HubFrom(host, token, "https://auctions.example");
        await good.StartAsync();
        Assert.Equal(HubConnectionState.Connected, good.State);
    }

    [Fact]
    public async Task The_samples_logs_never_contain_a_SignalR_access_token()
    {
        var logs = new ConcurrentQueue<string>();
        await using var app = new LoggingApp(logs);
        var token = await app.LoginAsync(RemateAppFactory.UniqueName("logged"));
        var server = app.Server;
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/auctions"), HttpTransportType.WebSockets, o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                // As browsers do: the token in the query string of the upgrade.
                o.WebSocketFactory = async (ctx, ct) => await server.CreateWebSocketClient().ConnectAsync(new Uri(ctx.Uri + "&access_token=" + Uri.EscapeDataString(token)), ct);
            })
            .Build();
        await hub.StartAsync();
        await hub.StopAsync();

        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, line => line.Contains(token, StringComparison.Ordinal) || line.Contains("access_token", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode?> UpgradeStatusAsync(RealtimeTestHost host, RemateLive.Domain.AuctionId auctionId, string? origin, bool cookie)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (cookie)
        {
            socket.Options.SetRequestHeader("Cookie", "session=host-cookie");
        }

        try
        {
            await socket.ConnectAsync(host.SocketUri(auctionId), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        var status = socket.HttpStatusCode;
        socket.Abort();
        return status;
    }

    private static HubConnection HubFrom(RealtimeTestHost host, string token, string origin) => new HubConnectionBuilder()
        .WithUrl(new Uri(host.BaseUri, "/hubs/auctions"), HttpTransportType.WebSockets, o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.Headers["Origin"] = origin;
        })
        .Build();

    // The sample with its own logging configuration, every message captured.
    private sealed class LoggingApp(ConcurrentQueue<string> logs) : RemateAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(logs))));
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, logs);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<string> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue($"{category}: {formatter(state, exception)}");
        }
    }
}

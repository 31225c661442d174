using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.RateLimiting;

namespace RemateLive.AspNetCore.Tests.Hosting;

/// <summary><c>RemateLive:ForwardedHeaders</c> on real Kestrel: the client behind a trusted proxy gets its own bucket; unset, nothing changes.</summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_connection_bucket()
    {
        await using var app = await StartAsync(new() { ["RemateLive:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });
        using var http = Client(app);

        Assert.Equal(HttpStatusCode.OK, await LoginAsync(http, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(http, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(http, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(http, "203.0.113.8"));
        Assert.Equal("203.0.113.9", await RemoteAsync(http, "203.0.113.9"));
    }

    [Fact]
    public async Task Unconfigured_the_headers_are_ignored_and_the_hosts_pipeline_is_unchanged()
    {
        await using var app = await StartAsync([]);
        using var http = Client(app);

        Assert.Equal(HttpStatusCode.OK, await LoginAsync(http, "203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(http, "203.0.113.8"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(http, "203.0.113.9")); // one bucket: the peer
        Assert.Equal("127.0.0.1", await RemoteAsync(http, "203.0.113.9"));
    }

    [Fact]
    public async Task A_proxy_from_an_untrusted_address_is_not_believed()
    {
        await using var app = await StartAsync(new() { ["RemateLive:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });
        using var http = Client(app);

        Assert.Equal("127.0.0.1", await RemoteAsync(http, "203.0.113.9"));
    }

    [Fact]
    public async Task A_bad_proxy_address_stops_the_host_at_start_up()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new()
        {
            ["RemateLive:ForwardedHeaders:KnownProxies:0"] = "not-an-ip",
            ["RemateLive:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0",
        }));

        Assert.Contains("KnownProxies: 'not-an-ip' is not an IP address", error.Message, StringComparison.Ordinal);
        Assert.Contains("KnownNetworks: '10.0.0.0' is not a network in CIDR form", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("198.51.100.4", "198.51.100.4")]
    [InlineData("::ffff:198.51.100.4", "198.51.100.4")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void Limits_count_IPv4_clients_singly_and_IPv6_clients_per_64(string address, string key) =>
        Assert.Equal(key, ClientAddress.LimitKey(IPAddress.Parse(address)));

    [Fact]
    public void Limits_put_unknown_peers_into_one_bucket() => Assert.Equal("unknown", ClientAddress.LimitKey(null));

    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseFreeLoopbackPort();
        builder.Logging.ClearProviders();
        settings["RemateLive:RateLimits:ConnectionBurst"] = "2";
        settings["RemateLive:RateLimits:ConnectionsPerSecond"] = "0.001";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRemateLive();
        var app = builder.Build();
        app.MapRemateLive();
        app.MapGet("/whoami", (HttpContext c) => c.Connection.RemoteIpAddress?.ToString());
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    private static HttpClient Client(WebApplication app) => new()
    {
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()),
    };

    private static async Task<HttpStatusCode> LoginAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { username = $"u{Guid.NewGuid():N}"[..20], display_name = "U" }),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> RemoteAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Tests.Infrastructure;

namespace RemateLive.AspNetCore.Tests.Identity;

/// <summary>A host with its own default authentication: its users act in Remate Live, and our bearer tokens keep working next to it.</summary>
public sealed class HostAuthenticationTests(HostAuthenticationTests.Factory app) : IClassFixture<HostAuthenticationTests.Factory>
{
    public sealed class Factory : RemateAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services
                .AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null));
        }
    }

    /// <summary>Stands in for a host's cookie/JWT scheme: <c>X-Host-User: name[;admin]</c>.</summary>
    public sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "HostHeader";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers["X-Host-User"] is not [{ Length: > 0 } value])
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var parts = value.Split(';');
            var claims = new List<Claim> { new(ClaimTypes.Name, parts[0]) };
            claims.AddRange(parts.Skip(1).Select(r => new Claim(ClaimTypes.Role, r)));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
        }
    }

    [Fact]
    public async Task Host_users_bid_and_host_admins_administer_while_bearer_tokens_still_work()
    {
        using var hostAdmin = app.CreateClient();
        hostAdmin.DefaultRequestHeaders.Add("X-Host-User", "host_boss;admin");
        using var hostBidder = app.CreateClient();
        hostBidder.DefaultRequestHeaders.Add("X-Host-User", "host_bidder");
        using var tokenBidder = await app.CreateBidderClientAsync();

        var created = await hostAdmin.PostAsJsonAsync("/api/auctions", RemateAppFactory.DefaultAuction(app.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await RemateAppFactory.ReadJsonAsync(created))["id"]!.GetValue<string>();

        var hostBid = await hostBidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000 });
        var tokenBid = await tokenBidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_100 });
        var notAdmin = await hostBidder.PostAsync($"/api/auctions/{id}/close", null);

        Assert.Equal(HttpStatusCode.Created, hostBid.StatusCode);
        Assert.Equal("host_bidder", (await RemateAppFactory.ReadJsonAsync(hostBid))["bidder_name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, tokenBid.StatusCode);
        await ProblemAssert.IsProblemAsync(notAdmin, HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Rest;

/// <summary>A store that fails gives 503 UNAVAILABLE, never a false acknowledgement.</summary>
public sealed class ResilienceApiTests(ResilienceApiTests.Factory app) : IClassFixture<ResilienceApiTests.Factory>
{
    public sealed class Factory : RemateAppFactory
    {
        public SwitchableStore Store => Services.GetRequiredService<SwitchableStore>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<SwitchableStore>();
                services.Replace(ServiceDescriptor.Singleton<IAuctionStore>(sp => sp.GetRequiredService<SwitchableStore>()));
            });
        }
    }

    [Fact]
    public async Task A_bid_while_the_store_is_down_is_503_UNAVAILABLE_and_nothing_is_stored()
    {
        var auction = await app.CreateAuctionAsync();
        var id = auction["id"]!.GetValue<string>();
        using var bidder = await app.CreateBidderClientAsync();

        app.Store.Down = true;
        HttpResponseMessage down;
        HttpResponseMessage list;
        try
        {
            down = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000, idempotency_key = "during-outage" });
            list = await bidder.GetAsync("/api/auctions");
        }
        finally
        {
            app.Store.Down = false;
        }

        await ProblemAssert.IsProblemAsync(down, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.True(down.Headers.Contains("Retry-After"));
        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        var after = await RemateAppFactory.ReadJsonAsync(await bidder.GetAsync($"/api/auctions/{id}"));
        Assert.Equal(0, after["bid_count"]!.GetValue<int>());

        // The same key after recovery is decided for the first time.
        var retry = await bidder.PostAsJsonAsync($"/api/auctions/{id}/bids", new { amount_cents = 1_000, idempotency_key = "during-outage" });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
    }
}

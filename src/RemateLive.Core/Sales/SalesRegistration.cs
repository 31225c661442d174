using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive.Sales;

/// <summary>The live-sale services of <c>AddRemateLiveCore()</c>: the in-memory <see cref="ISaleStore"/> by default, the writer, the feed and <see cref="LiveSales"/>.</summary>
internal static class SalesRegistration
{
    public static void AddSales(IServiceCollection services)
    {
        services.TryAddSingleton<ISaleStore, InMemorySaleStore>();
        services.TryAddSingleton<SaleFeed>();
        services.TryAddSingleton<SaleSequencer>();
        services.TryAddSingleton(sp => new LiveSales(
            sp.GetRequiredService<ISaleStore>(),
            sp.GetRequiredService<BidIncrementStrategies>(),
            sp.GetRequiredService<BiddingOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<SaleSequencer>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SaleFeed>());
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.Sales;

/// <summary>The live-sale services of <c>AddRemateLiveCore()</c>: the in-memory <see cref="ISaleStore"/> and <see cref="ISaleEventBus"/> by default, the writer, the feed and <see cref="LiveSales"/>.</summary>
internal static class SalesRegistration
{
    public static void AddSales(IServiceCollection services)
    {
        services.TryAddSingleton<ISaleStore, InMemorySaleStore>();
        services.TryAddSingleton<ISaleEventBus, InMemorySaleEventBus>();
        services.TryAddSingleton<SaleFeed>();
        services.TryAddSingleton<LiveSales>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SaleFeed>());
    }
}

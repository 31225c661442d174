using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RemateLive.Feed;
using RemateLive.InMemory;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sequencing;
using RemateLive.UseCases;

namespace RemateLive;

/// <summary>Registers the domain's use cases with in-memory adapters as defaults (host-agnostic).</summary>
public static class RemateLiveCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the use cases, the feed, the closer and the in-memory adapters (each replaceable through the
    /// returned builder). The ASP.NET Core package's <c>AddRemateLive()</c> calls this.
    /// </summary>
    public static RemateLiveBuilder AddRemateLiveCore(this IServiceCollection services, BiddingOptions? bidding = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AuctionFeed)))
        {
            return new RemateLiveBuilder(services); // already added; adding twice would start the hosted services twice
        }

        services.TryAddSingleton(TimeProvider.System);
        if (bidding is not null)
        {
            services.TryAddSingleton(bidding);
        }
        else
        {
            services.TryAddSingleton(new BiddingOptions());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBidIncrementStrategy, FixedIncrement>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBidIncrementStrategy, PercentIncrement>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBidIncrementStrategy, TieredIncrement>());
        services.TryAddSingleton<BidIncrementStrategies>();

        services.TryAddSingleton<IAuctionStore, InMemoryAuctionStore>();
        services.TryAddSingleton<IUserStore, InMemoryUserStore>();
        services.TryAddSingleton<IWatchlistStore, InMemoryWatchlistStore>();
        services.TryAddSingleton<IAuctionEventBus, InMemoryEventBus>();
        services.TryAddSingleton<IRateLimiter, InMemoryRateLimiter>();
        services.TryAddSingleton<IPresenceTracker, InMemoryPresenceTracker>();

        services.TryAddSingleton<AuctionFeed>();
        services.TryAddSingleton<AuctionPublisher>();
        services.TryAddSingleton<AuctionSequencer>();
        services.TryAddSingleton<PlaceBid>();
        services.TryAddSingleton<CreateAuction>();
        services.TryAddSingleton<CloseAuction>();
        services.TryAddSingleton<CancelAuction>();
        services.TryAddSingleton<AuctionQueries>();
        services.TryAddSingleton<Watchlist>();
        services.TryAddSingleton<AuctionCloser>();
        services.TryAddSingleton<OutcomePruner>();
        Sales.SalesRegistration.AddSales(services);

        // The feed subscribes to the bus before the closer starts publishing.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AuctionFeed>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AuctionCloser>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OutcomePruner>());
        return new RemateLiveBuilder(services);
    }
}

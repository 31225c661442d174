using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemateLive.Ports;

namespace RemateLive;

/// <summary>
/// Returned by <c>AddRemateLive()</c>. Adapter packages add their <c>Use…</c> extensions to it
/// (<c>UsePostgres</c>, <c>UseRedis</c>); each replaces the in-memory default of a port.
/// </summary>
public sealed class RemateLiveBuilder
{
    /// <summary>Wraps the application's services.</summary>
    public RemateLiveBuilder(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses <typeparamref name="T"/> as the auction store (a singleton).</summary>
    public RemateLiveBuilder UseStore<T>() where T : class, IAuctionStore => Replace<IAuctionStore, T>();

    /// <summary>Uses <typeparamref name="T"/> as the user-account store (a singleton).</summary>
    public RemateLiveBuilder UseUserStore<T>() where T : class, IUserStore => Replace<IUserStore, T>();

    /// <summary>Uses <typeparamref name="T"/> as the watchlist store (a singleton).</summary>
    public RemateLiveBuilder UseWatchlistStore<T>() where T : class, IWatchlistStore => Replace<IWatchlistStore, T>();

    /// <summary>Uses <typeparamref name="T"/> as the event bus (a singleton).</summary>
    public RemateLiveBuilder UseEventBus<T>() where T : class, IAuctionEventBus => Replace<IAuctionEventBus, T>();

    /// <summary>Uses <typeparamref name="T"/> as the snapshot cache (a singleton).</summary>


    /// <summary>Uses <typeparamref name="T"/> as the rate limiter (a singleton).</summary>
    public RemateLiveBuilder UseRateLimiter<T>() where T : class, IRateLimiter => Replace<IRateLimiter, T>();

    /// <summary>Uses <typeparamref name="T"/> as the presence tracker (a singleton).</summary>
    public RemateLiveBuilder UsePresence<T>() where T : class, IPresenceTracker => Replace<IPresenceTracker, T>();

    /// <summary>Uses <typeparamref name="T"/> as the live-sale store (a singleton).</summary>
    public RemateLiveBuilder UseSaleStore<T>() where T : class, ISaleStore => Replace<ISaleStore, T>();

    /// <summary>Uses <typeparamref name="T"/> as the live-sale event bus between nodes (a singleton).</summary>
    public RemateLiveBuilder UseSaleEventBus<T>() where T : class, ISaleEventBus => Replace<ISaleEventBus, T>();

    private RemateLiveBuilder Replace<TPort, TImpl>()
        where TPort : class
        where TImpl : class, TPort
    {
        Services.TryAddSingleton<TImpl>();
        Services.Replace(ServiceDescriptor.Singleton<TPort>(sp => sp.GetRequiredService<TImpl>()));
        return this;
    }
}

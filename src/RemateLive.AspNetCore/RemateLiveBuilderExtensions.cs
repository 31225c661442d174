using System.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemateLive.Increments;

namespace RemateLive;

/// <summary>Opt-in additions to <c>AddRemateLive()</c>: Kestrel's limits, increment strategies from an assembly.</summary>
public static class RemateLiveBuilderExtensions
{
    /// <summary>
    /// Sets Kestrel's <c>MaxConcurrentConnections</c> / <c>MaxConcurrentUpgradedConnections</c> from
    /// <c>RemateLive:Kestrel</c>, so a flood of sockets is refused cleanly below the process's file-descriptor
    /// limit. This changes the whole server, which is why <c>AddRemateLive()</c> never does it by itself.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddRemateLive()</c>.</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder ConfigureKestrelLimits(this RemateLiveBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RemateLiveOptions>>((kestrel, remate) =>
        {
            kestrel.Limits.MaxConcurrentConnections = remate.Value.Kestrel.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = remate.Value.Kestrel.MaxConcurrentUpgradedConnections;
        });
        return builder;
    }

    /// <summary>
    /// Registers every non-abstract <see cref="IBidIncrementStrategy"/> class of <paramref name="assembly"/>
    /// (public or not) as a singleton strategy, so auctions may use its <see cref="IBidIncrementStrategy.Kind"/>.
    /// Nothing is scanned unless you call this; the built-in <c>fixed</c>, <c>percent</c> and <c>tiered</c>
    /// are always registered, and one strategy can be added with
    /// <c>services.AddSingleton&lt;IBidIncrementStrategy, MyStrategy&gt;()</c>.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddRemateLive()</c>.</param>
    /// <param name="assembly">The assembly to scan, e.g. <c>typeof(MyStrategy).Assembly</c>.</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder AddIncrementStrategiesFrom(this RemateLiveBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        var registered = builder.Services
            .Where(d => d.ServiceType == typeof(IBidIncrementStrategy) && d.ImplementationType is not null)
            .Select(d => d.ImplementationType!)
            .ToHashSet();
        builder.Services.Scan(scan => scan
            .FromAssemblies(assembly)
            .AddClasses(c => c.AssignableTo<IBidIncrementStrategy>().Where(t => !registered.Contains(t)), publicOnly: false)
            .As<IBidIncrementStrategy>()
            .WithSingletonLifetime());
        return builder;
    }
}

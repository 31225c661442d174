using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Realtime;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Proxies;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Increments;

namespace RemateLive;

/// <summary>Adds Remate Live to an ASP.NET Core application.</summary>
public static class RemateLiveServiceCollectionExtensions
{
    /// <summary>
    /// Adds Remate Live: options bound from the <c>RemateLive</c> configuration section (then
    /// <paramref name="configure"/>) and validated at start-up, the use cases with in-memory adapters, sign-in
    /// and tokens, the admin policy, rate limits, metrics, health checks, OpenAPI, problem details, SignalR and
    /// Kestrel's connection limits. Map the endpoints with <c>app.MapRemateLive()</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes applied after configuration binding.</param>
    /// <returns>A builder for adapters (<c>UsePostgres</c>, <c>UseRedis</c>, <c>UseStore&lt;T&gt;</c>…).</returns>
    public static RemateLiveBuilder AddRemateLive(this IServiceCollection services, Action<RemateLiveOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(RemateLiveMarker)))
        {
            if (configure is not null)
            {
                services.Configure(configure);
            }

            return new RemateLiveBuilder(services);
        }

        services.AddSingleton<RemateLiveMarker>();
        var options = services.AddOptions<RemateLiveOptions>().BindConfiguration(RemateLiveOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemateLiveOptions>, RemateLiveOptionsValidator>());
        options.ValidateOnStart();

        // The use cases read the validated Bidding section; registering it first makes AddRemateLiveCore keep it.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<RemateLiveOptions>>().Value.Bidding);
        var builder = services.AddRemateLiveCore();
        AddThirdPartyIncrementStrategies(services);

        services.AddDataProtection();
        services.TryAddSingleton<RemateIdentity>();
        services.TryAddSingleton<PasswordBackoff>();
        services.AddHostedService<UnclaimedAccountSweeper>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, RemateBearerHandler>(RemateAuthentication.Scheme, null);
        services.AddAuthorization();
        services.TryAddEnumerable(ServiceDescriptor.Transient<IConfigureOptions<AuthorizationOptions>, ConfigureRemateAuthorization>());
        services.AddHostedService<AdminAccountSeeder>();

        services.TryAddSingleton<RemateRateLimits>();
        ForwardedHeadersSetup.Add(services);
        services.AddMetrics();
        services.TryAddSingleton<RemateMetrics>();
        services.AddHealthChecks().AddCheck<RemateLiveHealthCheck>("remate_live");

        services.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Remate Live API";
            doc.Info.Description = "Live auctions: REST API. Real-time updates use the native WebSocket endpoint or the SignalR hub (see docs/protocol.md).";
            return Task.CompletedTask;
        }));
        services.AddSignalR().AddJsonProtocol(o => WireJson.Configure(o.PayloadSerializerOptions));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RemateLiveOptions>>((kestrel, remate) =>
        {
            var limits = remate.Value.Kestrel;
            if (limits.Configure)
            {
                kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
                kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentUpgradedConnections;
            }
        });

        RealtimeRegistration.AddRealtime(services);
        RemateLive.AspNetCore.Sales.SaleRouting.AddSales(services);
        return builder;
    }

    // Third-party strategies: any IBidIncrementStrategy class in the entry assembly or in an assembly that
    // already registered one (a plugin registering one strategy brings its siblings along).
    private static void AddThirdPartyIncrementStrategies(IServiceCollection services)
    {
        var core = typeof(IBidIncrementStrategy).Assembly;
        var registered = services
            .Where(d => d.ServiceType == typeof(IBidIncrementStrategy) && d.ImplementationType is not null)
            .Select(d => d.ImplementationType!)
            .ToHashSet();
        var assemblies = registered.Select(t => t.Assembly)
            .Append(Assembly.GetEntryAssembly())
            .OfType<Assembly>()
            .Where(a => a != core && !a.IsDynamic)
            .Distinct()
            .ToArray();
        if (assemblies.Length == 0)
        {
            return;
        }

        services.Scan(scan => scan
            .FromAssemblies(assemblies)
            .AddClasses(c => c.AssignableTo<IBidIncrementStrategy>().Where(t => !registered.Contains(t)), publicOnly: false)
            .As<IBidIncrementStrategy>()
            .WithSingletonLifetime());
    }
}

/// <summary>Registered by <c>AddRemateLive()</c> so <c>MapRemateLive()</c> can tell it was called.</summary>
internal sealed class RemateLiveMarker;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore;
using RemateLive.AspNetCore.Diagnostics;
using RemateLive.AspNetCore.Realtime;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Proxies;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Rest;

namespace RemateLive;

/// <summary>Adds Remate Live to an ASP.NET Core application.</summary>
public static class RemateLiveServiceCollectionExtensions
{
    /// <summary>
    /// Adds Remate Live: options bound from the <c>RemateLive</c> configuration section (then
    /// <paramref name="configure"/>) and validated at start-up, the use cases with in-memory adapters, sign-in
    /// and tokens, the admin policy, rate limits, metrics, health checks, our own OpenAPI document
    /// (<see cref="RemateLiveOpenApi.DocumentName"/>) and SignalR. The host's global settings (HTTP and SignalR
    /// JSON options, problem details, its OpenAPI documents, Kestrel) are left alone; Kestrel's connection
    /// limits are an opt-in (<see cref="RemateLiveBuilderExtensions.ConfigureKestrelLimits"/>). Map the
    /// endpoints with <c>app.MapRemateLive()</c>.
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

        // Ours only: our endpoints write JSON with their own options and our document is named, so the host's
        // JSON settings, problem details and OpenAPI documents are left as they are.
        OpenApiDocument.Add(services);
        services.AddSignalR();
        RealtimeRegistration.AddRealtime(services);
        RemateLive.AspNetCore.Sales.SaleRouting.AddSales(services);
        return builder;
    }
}

/// <summary>Registered by <c>AddRemateLive()</c> so <c>MapRemateLive()</c> can tell it was called.</summary>
internal sealed class RemateLiveMarker;

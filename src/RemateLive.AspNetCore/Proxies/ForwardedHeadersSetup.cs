using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore.Proxies;

/// <summary>
/// Puts ASP.NET Core's forwarded-headers middleware at the very start of the pipeline — only when
/// <c>RemateLive:ForwardedHeaders</c> names a proxy (an explicit request of the host), so our per-IP limits see
/// the client rather than the proxy. Nothing is added otherwise.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemateLiveOptions>, Validator>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, StartupFilter>());
    }

    /// <summary>The framework's options for <paramref name="proxies"/>: exactly these proxies (the loopback defaults are dropped).</summary>
    public static ForwardedHeadersOptions ToMiddlewareOptions(TrustedProxyOptions proxies)
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = proxies.ForwardLimit,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        foreach (var network in proxies.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return options;
    }

    private sealed class StartupFilter(IOptions<RemateLiveOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        {
            var proxies = options.Value.ForwardedHeaders;
            return proxies.IsConfigured
                ? app =>
                {
                    app.UseForwardedHeaders(ToMiddlewareOptions(proxies));
                    next(app);
                }
                : next;
        }
    }

    private sealed class Validator : IValidateOptions<RemateLiveOptions>
    {
        public ValidateOptionsResult Validate(string? name, RemateLiveOptions options)
        {
            var proxies = options.ForwardedHeaders;
            var failures = new List<string>();
            failures.AddRange(proxies.KnownProxies
                .Where(p => !IPAddress.TryParse(p, out _))
                .Select(p => $"RemateLive:ForwardedHeaders:KnownProxies: '{p}' is not an IP address."));
            failures.AddRange(proxies.KnownNetworks
                .Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                .Select(n => $"RemateLive:ForwardedHeaders:KnownNetworks: '{n}' is not a network in CIDR form (e.g. 10.0.0.0/8)."));
            if (proxies.ForwardLimit is < 1 or > 10)
            {
                failures.Add("RemateLive:ForwardedHeaders:ForwardLimit must be between 1 and 10.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

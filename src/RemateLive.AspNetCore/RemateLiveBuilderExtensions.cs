using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RemateLive;

/// <summary>Opt-in host-wide settings for hosts that serve Remate Live as their main job.</summary>
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
}

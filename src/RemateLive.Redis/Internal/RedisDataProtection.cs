using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemateLive.Redis.Internal;

/// <summary>
/// Shares the host's Data Protection key ring through Redis (<see cref="RemateRedisOptions.ShareDataProtectionKeys"/>):
/// nodes with their own disks (containers, machines) otherwise each make their own keys and reject each
/// other's tokens. Only fills what the host left at the framework's defaults, so a host that chose its own
/// key repository or application name keeps it.
/// </summary>
internal static class RedisDataProtection
{
    /// <summary>The Data Protection application name set when the host has not set one.</summary>
    public const string ApplicationName = "RemateLive";

    public static void Add(IServiceCollection services)
    {
        services.AddOptions<KeyManagementOptions>()
            .PostConfigure<IOptions<RemateRedisOptions>, RedisConnection>((keys, redis, connection) =>
            {
                if (redis.Value.ShareDataProtectionKeys && keys.XmlRepository is null)
                {
                    // Key-ring reads are synchronous in Data Protection; the multiplexer connects with abortConnect=false.
                    keys.XmlRepository = new RedisXmlRepository(() => connection.GetAsync().GetAwaiter().GetResult().GetDatabase(), connection.Keys.DataProtectionKeys);
                }
            });
        services.AddOptions<DataProtectionOptions>()
            .PostConfigure<IOptions<RemateRedisOptions>, IServiceProvider>((dataProtection, redis, provider) =>
            {
                // The framework's default discriminator is the content root path, which differs between machines.
                if (redis.Value.ShareDataProtectionKeys && dataProtection.ApplicationDiscriminator == provider.GetApplicationUniqueIdentifier())
                {
                    dataProtection.ApplicationDiscriminator = ApplicationName;
                }
            });
        services.AddHostedService<KeyRingCheck>();
    }

    /// <summary>Says at start-up where this node's key ring lives, with a warning when other nodes cannot read it.</summary>
    private sealed class KeyRingCheck(IServiceProvider services, ILogger<KeyRingCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var keys = services.GetService<IOptions<KeyManagementOptions>>()?.Value;
            if (keys is null)
            {
                return Task.CompletedTask; // the host does not use Data Protection
            }

            switch (keys.XmlRepository)
            {
                case RedisXmlRepository:
                    RedisLog.DataProtectionKeysInRedis(logger, services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
                    break;
                case null:
                    RedisLog.DataProtectionKeysLocal(logger, "the framework's default per-machine directory");
                    break;
                case FileSystemXmlRepository files:
                    RedisLog.DataProtectionKeysLocal(logger, files.Directory.FullName);
                    break;
                default:
                    RedisLog.DataProtectionKeysHosts(logger, keys.XmlRepository.GetType().Name);
                    break;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

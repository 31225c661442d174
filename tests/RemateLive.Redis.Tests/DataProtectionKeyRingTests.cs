using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RemateLive.Redis.Tests;

/// <summary><c>UseRedis</c> shares the Data Protection key ring, and only where the host left the defaults.</summary>
public sealed class DataProtectionKeyRingTests : IDisposable
{
    private readonly string _prefix = TestRedis.NewPrefix("dp");
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("remate-dp-test-");

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task TwoNodesWithDifferentContentRootsReadEachOthersPayloads()
    {
        await using var nodeA = Node("/srv/a", share: true);
        await using var nodeB = Node("/srv/b", share: true);

        var token = nodeA.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hello");

        Assert.Equal("hello", nodeB.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(token));
        Assert.IsType<RedisXmlRepository>(nodeB.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        Assert.Equal("RemateLive", nodeB.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    [Fact]
    public async Task AKeyRingAndApplicationNameChosenByTheHostAreKept()
    {
        await using var node = Node("/srv/a", share: true, services => services.AddDataProtection()
            .SetApplicationName("host-app")
            .PersistKeysToFileSystem(_scratch));

        Assert.IsType<FileSystemXmlRepository>(node.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        Assert.Equal("host-app", node.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    [Fact]
    public async Task TurnedOffAStartUpWarningSaysTheKeysAreLocal()
    {
        var logs = new CapturingLogs();
        await using var node = Node("/srv/a", share: false, services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));

        foreach (var hosted in node.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var warning = Assert.Single(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Data Protection keys", StringComparison.Ordinal));
        Assert.Contains("local to this node", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ShareDataProtectionKeys", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TurnedOffTheHostsDefaultsAreLeftAlone()
    {
        await using var node = Node("/srv/a", share: false);

        Assert.Null(node.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);
        Assert.StartsWith("/srv/a", node.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
    }

    private ServiceProvider Node(string contentRoot, bool share, Action<IServiceCollection>? host = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new Environment(contentRoot));
        services.AddDataProtection();
        host?.Invoke(services);
        services.AddRemateLiveCore().UseRedis(TestRedis.Configuration, o =>
        {
            o.KeyPrefix = _prefix;
            o.ShareDataProtectionKeys = share;
        });
        return services.BuildServiceProvider();
    }

    private sealed class CapturingLogs : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }

    private sealed class Environment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "RemateLive.Redis.Tests";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

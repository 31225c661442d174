using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RemateLive.Increments;

namespace RemateLive.AspNetCore.Tests.Hosting;

/// <summary>Bad configuration stops start-up with a message naming the setting.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("RemateLive:Realtime:MaxMessageBytes", "10", "MaxMessageBytes")]
    [InlineData("RemateLive:RateLimits:BidBurst", "0", "BidBurst")]
    [InlineData("RemateLive:Routes:WebSocket", "/ws/auctions", "RemateLive:Routes:WebSocket")]
    [InlineData("RemateLive:Routes:Api", "api", "RemateLive:Routes:Api")]
    [InlineData("RemateLive:Realtime:PingInterval", "00:00:00", "RemateLive:Realtime:PingInterval")]
    [InlineData("RemateLive:Kestrel:MaxConcurrentUpgradedConnections", "20000", "MaxConcurrentUpgradedConnections")]
    [InlineData("RemateLive:Bidding:MaxCommitAttempts", "0", "RemateLive:Bidding:MaxCommitAttempts")]
    [InlineData("RemateLive:Admin:Username", "a b", "Admin")]
    [InlineData("RemateLive:Realtime:AllowedOrigins:0", "not an origin", "RemateLive:Realtime:AllowedOrigins")]
    [InlineData("RemateLive:Realtime:MaxConnectionsPerUser", "0", "MaxConnectionsPerUser")]
    [InlineData("RemateLive:Identity:SessionLifetime", "00:00:00", "RemateLive:Identity:SessionLifetime")]
    [InlineData("RemateLive:Admin:Password", "remate-admin-dev", "public development password")]
    public async Task Invalid_settings_fail_start_up_naming_the_key(string key, string value, string expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddRemateLive();

        // Whichever reads the options first (Kestrel's limits at Build, the routes at MapRemateLive,
        // ValidateOnStart at StartAsync) stops the host with the same message.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = builder.Build();
            app.MapRemateLive();
            await app.StartAsync();
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_binds_and_configure_runs_after_it()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RemateLive:RateLimits:BidBurst"] = "3",
            ["RemateLive:Bidding:MaxCommitAttempts"] = "4",
            ["RemateLive:Identity:AdminPolicy"] = "from-config",
        }).Build());
        services.AddLogging();
        services.AddRemateLive(o => o.Identity.AdminPolicy = "from-code");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RemateLiveOptions>>().Value;
        Assert.Equal(3, options.RateLimits.BidBurst);
        Assert.Equal("from-code", options.Identity.AdminPolicy);
        Assert.Equal(4, provider.GetRequiredService<BiddingOptions>().MaxCommitAttempts); // the use cases see the bound section
    }

    [Fact]
    public void Third_party_increment_strategies_come_only_from_an_explicit_call()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton<IBidIncrementStrategy, DoublingIncrement>();
        var remate = services.AddRemateLive();
        using (var before = services.BuildServiceProvider())
        {
            // Nothing scanned: the built-ins and the one registered by hand.
            Assert.Equal(new HashSet<string> { "fixed", "percent", "tiered", "doubling" }, before.GetRequiredService<BidIncrementStrategies>().Kinds.ToHashSet());
        }

        remate.AddIncrementStrategiesFrom(typeof(PlusOneIncrement).Assembly);
        using var provider = services.BuildServiceProvider();

        var kinds = provider.GetRequiredService<BidIncrementStrategies>().Kinds.ToHashSet();
        Assert.Superset(new HashSet<string> { "fixed", "percent", "tiered", "doubling", "plus_one" }, kinds);
        Assert.Single(provider.GetServices<IBidIncrementStrategy>(), s => s is DoublingIncrement);
    }
}

public sealed class DoublingIncrement : IBidIncrementStrategy
{
    public string Kind => "doubling";

    public Domain.Money MinimumNextBid(Domain.Money currentPrice, IncrementRule rule) => Domain.Money.FromCents(Math.Max(1, currentPrice.Cents * 2));
}

/// <summary>Found by <c>AddIncrementStrategiesFrom(assembly)</c> (registered by nobody).</summary>
public sealed class PlusOneIncrement : IBidIncrementStrategy
{
    public string Kind => "plus_one";

    public Domain.Money MinimumNextBid(Domain.Money currentPrice, IncrementRule rule) => Domain.Money.FromCents(currentPrice.Cents + 1);
}

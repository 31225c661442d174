using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RemateLive.Postgres;
using RemateLive.Postgres.Migrations;

namespace RemateLive;

/// <summary>Adds the PostgreSQL store to Remate Live.</summary>
public static class PostgresRemateLiveBuilderExtensions
{
    /// <summary>
    /// Uses PostgreSQL as the store of record with default options. Migrations are not applied: chain
    /// <see cref="ApplyMigrationsOnStartup"/>, or give the DBA <see cref="PostgresMigrations.Script"/>.
    /// </summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="connectionString">An Npgsql connection string; its <c>Minimum/Maximum Pool Size</c> are kept (else the defaults of <see cref="PostgresStoreOptions"/>).</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, string connectionString) =>
        builder.UsePostgres(connectionString, _ => { });

    /// <summary>
    /// Uses PostgreSQL with settings bound from a configuration section (e.g. <c>RemateLive:Postgres</c>):
    /// <c>ConnectionString</c> (required) and any property of <see cref="PostgresStoreOptions"/>
    /// (<c>Schema</c>, <c>MaxPoolSize</c>, <c>CommandTimeout</c>…).
    /// </summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="section">The section to bind.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException">The section has no <c>ConnectionString</c>.</exception>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var path = (section as IConfigurationSection)?.Path ?? "the section";
            throw new InvalidOperationException($"UsePostgres: {path}:ConnectionString is required.");
        }

        builder.Services.AddOptions<PostgresStoreOptions>().Bind(section);
        return builder.UsePostgres(connectionString, _ => { });
    }

    /// <summary>
    /// Uses PostgreSQL through an <see cref="NpgsqlDataSource"/> the application registered itself (e.g. with
    /// Npgsql's <c>AddNpgsqlDataSource</c>): unkeyed, or the keyed service <paramref name="serviceKey"/>. Its
    /// pool settings stand and the container disposes it.
    /// </summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="serviceKey">The data source's service key, or null for the unkeyed one.</param>
    /// <param name="configure">Sets the options (schema…).</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder UsePostgresDataSourceFromServices(this RemateLiveBuilder builder, object? serviceKey = null, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddKeyedSingleton(PostgresStoreOptions.DataSourceKey, (sp, _) => serviceKey is null
            ? sp.GetRequiredService<NpgsqlDataSource>()
            : sp.GetRequiredKeyedService<NpgsqlDataSource>(serviceKey));
        return builder.AddStore(configure ?? (_ => { }));
    }

    /// <summary>
    /// Applies the embedded migrations at start-up (under an advisory lock, so several nodes may start at
    /// once; a node whose schema is newer than it knows refuses to start). Without this call the schema
    /// must be created beforehand, e.g. from <see cref="PostgresMigrations.Script"/>.
    /// </summary>
    /// <param name="builder">A builder on which a <c>UsePostgres…</c> overload was called.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="InvalidOperationException">No <c>UsePostgres…</c> was called.</exception>
    public static RemateLiveBuilder ApplyMigrationsOnStartup(this RemateLiveBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(PostgresAuctionStore)))
        {
            throw new InvalidOperationException("ApplyMigrationsOnStartup() applies RemateLive.Postgres's migrations: call UsePostgres(…) first.");
        }

        builder.Services.Configure<PostgresStoreOptions>(o => o.ApplyMigrations = true);
        return builder;
    }

    /// <summary>Uses PostgreSQL as the store of record; the store builds and owns its <see cref="NpgsqlDataSource"/>.</summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="connectionString">An Npgsql connection string; pool sizes set in <paramref name="configure"/> win over its <c>Minimum/Maximum Pool Size</c>, which win over the defaults.</param>
    /// <param name="configure">Sets the options (schema, migrations, pool).</param>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, string connectionString, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(configure);
        _ = new NpgsqlConnectionStringBuilder(connectionString); // a malformed string fails here, not on the first bid
        builder.Services.AddKeyedSingleton(PostgresStoreOptions.DataSourceKey, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            var cs = dataSource.ConnectionStringBuilder;
            cs.Pooling = true;
            (cs.MinPoolSize, cs.MaxPoolSize) = options.ResolvePool(connectionString);
            cs.Timeout = (int)Math.Ceiling(options.ConnectionTimeout.TotalSeconds);
            cs.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
            if (string.IsNullOrEmpty(cs.ApplicationName))
            {
                cs.ApplicationName = "RemateLive";
            }

            if (sp.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                dataSource.UseLoggerFactory(loggerFactory);
            }

            return dataSource.Build();
        });
        return builder.AddStore(configure);
    }

    /// <summary>Uses PostgreSQL as the store of record over the application's data source (its pool settings stand; the caller disposes it).</summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="dataSource">The data source to use.</param>
    /// <param name="configure">Sets the options (schema, migrations); migrations stay off unless turned on here.</param>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, NpgsqlDataSource dataSource, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddKeyedSingleton(PostgresStoreOptions.DataSourceKey, dataSource);
        return builder.AddStore(configure);
    }

    /// <summary>Uses PostgreSQL as the store of record over the application's data source, with default options.</summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="dataSource">The data source to use (its pool settings stand; the caller disposes it).</param>
    /// <returns>The same builder.</returns>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, NpgsqlDataSource dataSource) =>
        builder.UsePostgres(dataSource, _ => { });

    private static RemateLiveBuilder AddStore(this RemateLiveBuilder builder, Action<PostgresStoreOptions> configure)
    {
        var services = builder.Services;
        services.AddOptions<PostgresStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());

        services.TryAddSingleton(sp => new PostgresMigrator(DataSource(sp), sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value));
        services.TryAddSingleton(sp => new PostgresSchemaInitializer(
            sp.GetRequiredService<PostgresMigrator>(),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<ILogger<PostgresSchemaInitializer>>()));
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory?.Method.DeclaringType == typeof(PostgresRemateLiveBuilderExtensions)))
        {
            // First, so the schema exists before any other hosted service (feed, closer, demo seeding) starts.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(InitializerAsHostedService));
        }

        services.TryAddSingleton(sp => new PostgresAuctionStore(
            DataSource(sp),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<PostgresSchemaInitializer>()));
        builder.UseStore<PostgresAuctionStore>();
        services.TryAddSingleton(sp => new PostgresUserStore(
            DataSource(sp),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<PostgresSchemaInitializer>()));
        builder.UseUserStore<PostgresUserStore>();
        services.TryAddSingleton(sp => new PostgresWatchlistStore(
            DataSource(sp),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<PostgresSchemaInitializer>()));
        builder.UseWatchlistStore<PostgresWatchlistStore>();
        services.TryAddSingleton(sp => new PostgresSaleStore(
            DataSource(sp),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<PostgresSchemaInitializer>()));
        builder.UseSaleStore<PostgresSaleStore>();

        // The checks once, however often UsePostgres is called: the schema check's registration tells (as in UseRedis).
        var firstCall = !services.Any(d => d.ServiceType == typeof(PostgresSchemaHealthCheck));
        services.TryAddSingleton(sp => new PostgresSchemaHealthCheck(sp.GetRequiredService<PostgresMigrator>()));
        if (firstCall)
        {
            // Registered always, filtered by AddHealthCheck once options exist (registrations cannot read options).
            services.AddHealthChecks()
                .AddNpgSql(DataSource, name: "postgres", tags: PostgresStoreOptions.HealthCheckTags)
                .AddCheck<PostgresSchemaHealthCheck>(SchemaHealthCheckName, HealthStatus.Unhealthy, PostgresStoreOptions.HealthCheckTags);
            services.AddOptions<HealthCheckServiceOptions>().PostConfigure<IOptions<PostgresStoreOptions>>((health, store) =>
            {
                if (!store.Value.AddHealthCheck)
                {
                    foreach (var registration in health.Registrations.Where(r => r.Name is "postgres" or SchemaHealthCheckName).ToList())
                    {
                        health.Registrations.Remove(registration);
                    }
                }
            });
        }

        return builder;
    }

    /// <summary>The name of the health entry that is healthy once the schema has every migration this version needs.</summary>
    public const string SchemaHealthCheckName = "postgres_schema";

    private static PostgresSchemaInitializer InitializerAsHostedService(IServiceProvider sp) => sp.GetRequiredService<PostgresSchemaInitializer>();

    private static NpgsqlDataSource DataSource(IServiceProvider sp) => sp.GetRequiredKeyedService<NpgsqlDataSource>(PostgresStoreOptions.DataSourceKey);

    private sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}

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
    /// Uses PostgreSQL as the store of record, with default options and <b>migrations applied at start-up</b>
    /// (the one-line set-up for an application such as the sample host). Use an overload with options
    /// to keep migrations opt-in.
    /// </summary>
    /// <param name="builder">The Remate Live builder.</param>
    /// <param name="connectionString">An Npgsql connection string; its <c>Minimum/Maximum Pool Size</c> are kept (else the defaults of <see cref="PostgresStoreOptions"/>).</param>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, string connectionString) =>
        builder.UsePostgres(connectionString, o => o.ApplyMigrations = true);

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
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, NpgsqlDataSource dataSource, Action<PostgresStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        builder.Services.AddKeyedSingleton(PostgresStoreOptions.DataSourceKey, dataSource);
        return builder.AddStore(configure ?? (_ => { }));
    }

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
        services.TryAddSingleton(sp => new PostgresSaleStore(
            DataSource(sp),
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<PostgresSchemaInitializer>()));
        builder.UseSaleStore<PostgresSaleStore>();

        services.TryAddSingleton(sp => new PostgresSchemaHealthCheck(sp.GetRequiredService<PostgresMigrator>()));
        services.AddHealthChecks()
            .AddNpgSql(DataSource, name: "postgres", tags: PostgresStoreOptions.HealthCheckTags)
            .AddCheck<PostgresSchemaHealthCheck>(SchemaHealthCheckName, HealthStatus.Unhealthy, PostgresStoreOptions.HealthCheckTags);
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

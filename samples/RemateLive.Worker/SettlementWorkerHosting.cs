using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace RemateLive.Worker;

/// <summary>The worker's composition: Remate Live's core on PostgreSQL, plus the settlement service.</summary>
internal static class SettlementWorkerHosting
{
    /// <summary>
    /// Registers Remate Live (no web), its PostgreSQL store on the host's own <see cref="NpgsqlDataSource"/>
    /// (<c>RemateLive:Postgres:ConnectionString</c>), and the <see cref="SettlementWorker"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSettlementWorker(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration["RemateLive:Postgres:ConnectionString"] is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("RemateLive:Postgres:ConnectionString is required (e.g. RemateLive__Postgres__ConnectionString).");
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));

        var remate = builder.Services.AddRemateLiveCore().UsePostgresDataSourceFromServices();
        if (builder.Configuration.GetValue("RemateLive:Postgres:ApplyMigrations", true))
        {
            remate.ApplyMigrationsOnStartup();
        }

        builder.Services.AddOptions<SettlementOptions>()
            .Bind(builder.Configuration.GetSection(SettlementOptions.SectionName))
            .Validate(o => o.ReconcileInterval > TimeSpan.Zero && o.PageSize is > 0 and <= 1_000, "Settlement:ReconcileInterval must be positive and Settlement:PageSize within 1..1000.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SettlementStore>();
        builder.Services.AddHostedService<SettlementWorker>();
        return builder;
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace RemateLive.Postgres.Migrations;

/// <summary>
/// Ready only when the schema has every migration this node needs (whoever applied them: this node at
/// start-up, another node, or a separate deployment step). Once seen applied it stays so (versions only grow).
/// </summary>
internal sealed class PostgresSchemaHealthCheck(PostgresMigrator migrator) : IHealthCheck
{
    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_applied)
        {
            return HealthCheckResult.Healthy($"Schema at version {PostgresMigrator.LatestVersion} or newer.");
        }

        int version;
        try
        {
            version = await migrator.GetVersionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Could not read the schema version (PostgreSQL unreachable?).", ex);
        }

        if (version < PostgresMigrator.LatestVersion)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Schema at version {version}; this node needs {PostgresMigrator.LatestVersion}: apply the migrations.");
        }

        _applied = true;
        return HealthCheckResult.Healthy($"Schema at version {version}.");
    }
}

using System.Globalization;
using System.Text;
using RemateLive.Postgres.Migrations;

namespace RemateLive.Postgres;

/// <summary>The embedded schema migrations, for a DBA who applies them by hand instead of <c>ApplyMigrationsOnStartup()</c>.</summary>
public static class PostgresMigrations
{
    /// <summary>The newest schema version this package needs.</summary>
    public static int LatestVersion => PostgresMigrator.LatestVersion;

    /// <summary>
    /// The SQL that brings an empty database (or one at <paramref name="fromVersion"/>) to
    /// <see cref="LatestVersion"/> in one transaction, recording each step in <c>{schema}.schema_migrations</c>
    /// exactly as the start-up migrator does — run it with <c>psql -v ON_ERROR_STOP=1 -f</c>.
    /// </summary>
    /// <param name="schema">The schema (<see cref="PostgresStoreOptions.Schema"/>).</param>
    /// <param name="fromVersion">Leave out migrations up to this version (already applied).</param>
    /// <returns>The script.</returns>
    public static string Script(string schema = "remate", int fromVersion = 0)
    {
        var options = new PostgresStoreOptions { Schema = schema };
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(schema));
        }

        var quoted = options.QuotedSchema;
        var sql = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"-- Remate Live schema {quoted}: migrations {fromVersion + 1}..{LatestVersion}.")
            .AppendLine("BEGIN;")
            .AppendLine(CultureInfo.InvariantCulture, $"CREATE SCHEMA IF NOT EXISTS {quoted};")
            .AppendLine(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp());");
        foreach (var (version, name, body) in PostgresMigrator.All.Where(m => m.Version > fromVersion))
        {
            sql.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"-- {name}")
                .AppendLine(body.Replace("{schema}", quoted, StringComparison.Ordinal))
                .AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {quoted}.schema_migrations (version, name) VALUES ({version}, '{name}');");
        }

        return sql.AppendLine("COMMIT;").ToString();
    }
}

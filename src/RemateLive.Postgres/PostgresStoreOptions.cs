using System.Text.RegularExpressions;

namespace RemateLive.Postgres;

/// <summary>Settings of the PostgreSQL store (<c>UsePostgres</c>).</summary>
public sealed partial class PostgresStoreOptions
{
    /// <summary>The service key of the store's <see cref="Npgsql.NpgsqlDataSource"/> (a keyed singleton).</summary>
    public const string DataSourceKey = "RemateLive.Postgres";

    /// <summary>The tags of the PostgreSQL health check: the host's <c>/health</c> treats it as required.</summary>
    public static IReadOnlyList<string> HealthCheckTags { get; } = ["remate-live", "required", "postgres"];

    /// <summary>The schema holding Remate Live's tables (created by the migrations). Default <c>remate</c>.</summary>
    public string Schema { get; set; } = "remate";

    /// <summary>
    /// Apply the embedded migrations at start-up (under an advisory lock, so several nodes may start at
    /// once). Off by default (opt-in for libraries); <c>UsePostgres(connectionString)</c> without options turns it on.
    /// </summary>
    public bool ApplyMigrations { get; set; }

    /// <summary>Connections kept open in the pool (the seed's 20 base connections). Used when the store builds its data source from a connection string.</summary>
    public int MinPoolSize { get; set; } = 20;

    /// <summary>The pool's ceiling (the seed's 20 base + 10 overflow). Used when the store builds its data source from a connection string.</summary>
    public int MaxPoolSize { get; set; } = 30;

    /// <summary>How long a caller waits for a pooled connection (Npgsql <c>Timeout</c>) before the store throws.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Command timeout for the store's statements.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Registers an NpgSql health check on <c>AddHealthChecks()</c>, tagged with <see cref="HealthCheckTags"/>. Default on.</summary>
    public bool AddHealthCheck { get; set; } = true;

    /// <summary>The schema name in SQL: a double-quoted identifier.</summary>
    internal string QuotedSchema => "\"" + Schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Why these options cannot work, or null.</summary>
    internal string? Validate()
    {
        if (string.IsNullOrEmpty(Schema) || !SchemaName().IsMatch(Schema))
        {
            return $"Schema '{Schema}' must be 1–63 characters of letters, digits and '_' and start with a letter or '_'.";
        }

        if (MinPoolSize < 0 || MaxPoolSize < 1 || MinPoolSize > MaxPoolSize)
        {
            return $"Pool sizes must satisfy 0 ≤ MinPoolSize ({MinPoolSize}) ≤ MaxPoolSize ({MaxPoolSize}), MaxPoolSize ≥ 1.";
        }

        return ConnectionTimeout <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero
            ? "ConnectionTimeout and CommandTimeout must be positive."
            : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}

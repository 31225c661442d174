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
    /// once). Off by default; <c>.ApplyMigrationsOnStartup()</c> turns it on.
    /// </summary>
    public bool ApplyMigrations { get; set; }

    /// <summary>The pool floor used when neither the code nor the connection string gives one.</summary>
    public const int DefaultMinPoolSize = 2;

    /// <summary>
    /// The pool ceiling used when neither the code nor the connection string gives one: four nodes (4 × 20 =
    /// 80) fit PostgreSQL's default <c>max_connections</c> of 100 with room for superusers, migrations and
    /// tools (docs/scaling.md gives the formula).
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>
    /// Connections kept open in the pool. Null (default): the connection string's <c>Minimum Pool Size</c>, else
    /// <see cref="DefaultMinPoolSize"/>. Used when the store builds its data source from a connection string.
    /// </summary>
    public int? MinPoolSize { get; set; }

    /// <summary>
    /// The pool's ceiling per node. Null (default): the connection string's <c>Maximum Pool Size</c>, else
    /// <see cref="DefaultMaxPoolSize"/>. Used when the store builds its data source from a connection string.
    /// </summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>How long a caller waits for a pooled connection (Npgsql <c>Timeout</c>) before the store throws.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Command timeout for the store's statements.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reports the store in the host's health checks: <c>postgres</c> (reachable) and <c>postgres_schema</c>
    /// (every migration applied), tagged with <see cref="HealthCheckTags"/>. Default on; off removes both.
    /// </summary>
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

    /// <summary>
    /// The pool of a data source built from <paramref name="connectionString"/>: a size set in code wins, then
    /// one written in the connection string (any of Npgsql's spellings), then the defaults.
    /// </summary>
    internal (int Min, int Max) ResolvePool(string connectionString)
    {
        // Npgsql's builder reports every known keyword as present; the raw pairs say what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        int? Written(params string[] names) => written.Keys.Cast<string>()
            .Where(k => names.Contains(k.Replace(" ", "", StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase))
            .Select(k => int.Parse(Convert.ToString(written[k], System.Globalization.CultureInfo.InvariantCulture)!, System.Globalization.CultureInfo.InvariantCulture) as int?)
            .LastOrDefault();
        var max = MaxPoolSize ?? Written("MaximumPoolSize", "MaxPoolSize") ?? DefaultMaxPoolSize;
        var min = MinPoolSize ?? Written("MinimumPoolSize", "MinPoolSize") ?? Math.Min(DefaultMinPoolSize, max);
        return min > max
            ? throw new InvalidOperationException($"The PostgreSQL pool's minimum ({min}) exceeds its maximum ({max}); check Minimum/Maximum Pool Size in the connection string and PostgresStoreOptions.")
            : (min, max);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}

using System.Globalization;
using Dapper;
using Npgsql;

namespace RemateLive.Postgres.Migrations;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> migrations not yet recorded, in order (numbers may have gaps), each recorded in
/// <c>schema_migrations</c>, all in one transaction under a transaction-scoped advisory lock per schema,
/// so concurrent start-ups serialize and every node sees a complete schema.
/// </summary>
internal sealed class PostgresMigrator(NpgsqlDataSource dataSource, PostgresStoreOptions options)
{
    // First key of pg_advisory_xact_lock(int, int): "RL" + "mg"; the second is the schema's hash.
    private const int LockClass = 0x524C_6D67;

    /// <summary>The embedded migrations, by version.</summary>
    internal static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    /// <summary>The newest version this package knows.</summary>
    internal static int LatestVersion => All[^1].Version;

    /// <summary>Brings the schema to <see cref="LatestVersion"/>; returns how many migrations it applied.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var schema = options.QuotedSchema;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@c, hashtext(@s))", new { c = LockClass, s = options.Schema }, tx, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                version    int PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp());
            """, transaction: tx, cancellationToken: cancellationToken));
        var done = (await connection.QueryAsync<int>(new CommandDefinition(
            $"SELECT version FROM {schema}.schema_migrations", transaction: tx, cancellationToken: cancellationToken))).ToHashSet();
        var current = done.Count == 0 ? 0 : done.Max();
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database schema {schema} is at version {current}, newer than this RemateLive.Postgres knows ({LatestVersion}). " +
                "Upgrade the RemateLive.Postgres package of this node, or point it at another schema.");
        }

        var applied = 0;
        // Every version not yet recorded, in order: numbers may have gaps (a branch may reserve one).
        foreach (var (version, name, sql) in All.Where(m => !done.Contains(m.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                sql.Replace("{schema}", schema, StringComparison.Ordinal), transaction: tx, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {schema}.schema_migrations (version, name) VALUES (@version, @name)",
                new { version, name }, tx, cancellationToken: cancellationToken));
            applied++;
        }

        await tx.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>The schema's recorded version (0 when never migrated).</summary>
    public async Task<int> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass(@t) IS NOT NULL", new { t = options.QuotedSchema + ".schema_migrations" }, cancellationToken: cancellationToken));
        return exists
            ? await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                $"SELECT max(version) FROM {options.QuotedSchema}.schema_migrations", cancellationToken: cancellationToken)) ?? 0
            : 0;
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        const string prefix = "RemateLive.Postgres.Migrations.";
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((version, name, reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Item1 == list[i - 1].Item1)
            {
                throw new InvalidOperationException($"Embedded migrations must have distinct numbers; found {list[i - 1].Item2} and {list[i].Item2}.");
            }
        }

        return list;
    }
}

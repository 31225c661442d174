namespace RemateLive;

/// <summary>Adds the PostgreSQL store to Remate Live.</summary>
public static class PostgresRemateLiveBuilderExtensions
{
    /// <summary>Uses PostgreSQL as the store of record. (Placeholder: implemented by the PostgreSQL issue.)</summary>
    public static RemateLiveBuilder UsePostgres(this RemateLiveBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        throw new NotSupportedException("RemateLive.Postgres is not implemented yet.");
    }
}

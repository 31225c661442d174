using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RemateLive.Postgres.Migrations;

/// <summary>
/// Applies the migrations once per process when <see cref="PostgresStoreOptions.ApplyMigrations"/> is on:
/// at host start-up (before any hosted service starts, so a bad schema fails the start), and, for code
/// that uses the store before the host starts, on the store's first call. A failed attempt is retried
/// on the next call.
/// </summary>
internal sealed partial class PostgresSchemaInitializer(PostgresMigrator migrator, PostgresStoreOptions options, ILogger<PostgresSchemaInitializer> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready = !options.ApplyMigrations;

    /// <summary>Completes once the schema is current (at once when migrations are off).</summary>
    public Task EnsureAsync(CancellationToken cancellationToken = default) => _ready ? Task.CompletedTask : MigrateAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StartingAsync(CancellationToken cancellationToken) => EnsureAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            var applied = await migrator.MigrateAsync(cancellationToken);
            LogMigrated(logger, options.Schema, applied, PostgresMigrator.LatestVersion);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema {Schema}: applied {Applied} migration(s); at version {Version}.")]
    private static partial void LogMigrated(ILogger logger, string schema, int applied, int version);
}

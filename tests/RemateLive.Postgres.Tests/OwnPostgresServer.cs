using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RemateLive.Postgres.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster of this test class alone (fsync on), so it can be stopped, crashed and
/// restarted without disturbing the shared server other test classes and assemblies are using.
/// Uses the binaries scripts/test-env.sh found (<c>REMATE_TEST_PGBIN</c>).
/// </summary>
public sealed class OwnPostgresServer : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("remate-pg-own.").FullName;
    private string _pgBin = "";
    private string _serverOptions = "";

    public string ConnectionString { get; private set; } = "";

    private string DataDir => Path.Combine(_dir, "pg");

    private string LogFile => Path.Combine(_dir, "pg.log");

    public async Task InitializeAsync()
    {
        _pgBin = Environment.GetEnvironmentVariable("REMATE_TEST_PGBIN") is { Length: > 0 } bin && File.Exists(Path.Combine(bin, "pg_ctl"))
            ? bin
            : throw new InvalidOperationException("REMATE_TEST_PGBIN is not set to PostgreSQL's bin directory: run the tests through scripts/test-env.sh.");
        var port = FreePort();
        _serverOptions = $"-p {port} -c listen_addresses=127.0.0.1 -k {_dir} -c fsync=on -c synchronous_commit=on -c max_connections=50";
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", _dir);
        }

        await RunPgAsync("initdb", "-D", DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
        await StartAsync();
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public Task StartAsync() => RunPgAsync("pg_ctl", "-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", _serverOptions, "start");

    /// <summary>Stops the server: <c>fast</c> (clean) or <c>immediate</c> (a crash; WAL recovery on the next start).</summary>
    public Task StopAsync(string mode = "fast") => RunPgAsync("pg_ctl", "-D", DataDir, "-m", mode, "-w", "-t", "60", "stop");

    public async Task DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
        {
            await StopAsync("immediate");
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunPgAsync(string tool, params string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_pgBin, tool), .. args]) : RunAsync(Path.Combine(_pgBin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout} {await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

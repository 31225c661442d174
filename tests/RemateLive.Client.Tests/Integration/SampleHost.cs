using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace RemateLive.Client.Tests.Integration;

/// <summary>
/// The real sample host as a process on a free loopback port, on its own PostgreSQL database, with its own HOME
/// (its Data Protection key ring survives <see cref="RestartAsync"/>, as a container's volume would). Killed on dispose.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    public const string AdminPassword = "client-tests-admin-pw";
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? _builtDll;
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, string> _settings;
    private Process? _process;

    private SampleHost(Dictionary<string, string> settings, DirectoryInfo home)
    {
        _settings = settings;
        Home = home;
    }

    public DirectoryInfo Home { get; }

    public int Port { get; private set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<SampleHost> StartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("REMATE_TEST_POSTGRES") is { Length: > 0 } pg
            ? pg
            : throw new InvalidOperationException("REMATE_TEST_POSTGRES is not set: run the tests through scripts/test-env.sh (it starts a throwaway PostgreSQL).");
        var database = $"remate_client_{Guid.NewGuid():N}";
        await using (var admin = new Npgsql.NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var settings = new Dictionary<string, string>
        {
            ["RemateLive__Postgres__ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString,
            ["RemateLive__Admin__Password"] = AdminPassword,
            ["RemateLive__SeedDemoData"] = "false",
            ["RemateLive__RateLimits__ConnectionBurst"] = "100000",
            ["RemateLive__RateLimits__ConnectionsPerSecond"] = "100000",
            ["RemateLive__RateLimits__BidBurst"] = "1000",
            ["RemateLive__RateLimits__BidsPerSecond"] = "1000",
        };
        var host = new SampleHost(settings, Directory.CreateTempSubdirectory("remate-client-host-"));
        try
        {
            await host.LaunchAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL, then the same host (database, HOME) again on a new port.</summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        Kill();
        if (whileDown is not null)
        {
            await whileDown();
        }

        await LaunchAsync();
    }

    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process?.Dispose();
        await Task.CompletedTask;
        try
        {
            Home.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task LaunchAsync()
    {
        var dll = await SampleDllAsync();
        Port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{Port}");
        info.Environment["HOME"] = Home.FullName;
        info.Environment["TMPDIR"] = Home.CreateSubdirectory("tmp").FullName;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in _settings)
        {
            info.Environment[key] = value;
        }

        _process?.Dispose();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The host was not ready within 90 s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    // REMATE_SAMPLE_DLL, else one build per test run (UI skipped) into a temp artifacts path.
    private static async Task<string> SampleDllAsync()
    {
        if (Environment.GetEnvironmentVariable("REMATE_SAMPLE_DLL") is { Length: > 0 } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"REMATE_SAMPLE_DLL points to a missing file: {given}");
        }

        await BuildGate.WaitAsync();
        try
        {
            if (_builtDll is not null)
            {
                return _builtDll;
            }

            var root = typeof(SampleHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RemateRepositoryRoot").Value!;
            var artifacts = Path.Combine(Path.GetTempPath(), $"remate-client-tests-sample-{Environment.ProcessId}");
            var build = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "build", Path.Combine(root, "samples", "RemateLive.Sample", "RemateLive.Sample.csproj"), "-c", "Release", "--artifacts-path", artifacts, "-p:SkipClientBuild=true", "-nologo", "-v", "q" })
            {
                build.ArgumentList.Add(arg);
            }

            using var process = Process.Start(build)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"Building the sample failed:\n{await stdout}\n{await stderr}");
            }

            var dll = Path.Combine(artifacts, "bin", "RemateLive.Sample", "release", "RemateLive.Sample.dll");
            return _builtDll = File.Exists(dll) ? dll : throw new FileNotFoundException($"The sample build did not produce {dll}.");
        }
        finally
        {
            BuildGate.Release();
        }
    }
}

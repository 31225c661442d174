using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>
/// One real sample host process on a loopback port, with its own HOME and temp directory (like its own
/// container or machine: nothing such as a Data Protection key ring is shared by accident); killed (whole
/// tree) on dispose, even after a failure, and its directories removed.
/// </summary>
internal sealed class SampleHost : IAsyncDisposable
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? _builtDll;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleHost(Process process, int port, string name, DirectoryInfo home)
    {
        _process = process;
        Home = home;
        Port = port;
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>This node's own HOME (and, under it, TMPDIR).</summary>
    public DirectoryInfo Home { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The host's console output so far (for failure messages).</summary>
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

    public static async Task<SampleHost> StartAsync(string name, IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        var dll = await SampleDllAsync();
        port ??= FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        var home = Directory.CreateTempSubdirectory($"remate-node-{name}-");
        var temp = home.CreateSubdirectory("tmp");
        info.Environment["HOME"] = home.FullName;
        info.Environment["TMPDIR"] = temp.FullName;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__RemateLive"] = "Information";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new SampleHost(process, port.Value, name, home);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL: no graceful shutdown, no goodbye to Redis.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
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
            // never started
        }

        await Task.CompletedTask;
        _process.Dispose();
        try
        {
            Home.Delete(recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Node {Name} was not healthy within {timeout}:\n{Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
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

            var root = typeof(SampleHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "RemateRepositoryRoot").Value!;
            var artifacts = Path.Combine(Path.GetTempPath(), $"remate-redis-tests-sample-{Environment.ProcessId}");
            var build = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
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

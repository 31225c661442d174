using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace RemateLive.Redis.Tests;

/// <summary>
/// A redis-server of the test's own (same flags as scripts/test-env.sh, in the foreground), for tests that
/// stop and restart Redis without disturbing the suite's shared one. Killed on dispose.
/// </summary>
internal sealed class PrivateRedis : IDisposable
{
    private Process? _process;

    public int Port { get; } = MultiNode.SampleHost.FreePort();

    public string Configuration => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (scripts/test-env.sh installs it).");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        await using var probe = await ConnectionMultiplexer.ConnectAsync($"{Configuration},abortConnect=false,connectTimeout=5000");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!probe.IsConnected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"redis-server did not come up on port {Port}.");
            await Task.Delay(50);
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}

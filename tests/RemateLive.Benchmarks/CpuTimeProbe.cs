using System.Diagnostics;

namespace RemateLive.Benchmarks;

/// <summary>Bids per second of wall time and of process CPU time (GC and JIT threads included, so conservative).</summary>
internal static class CpuTimeProbe
{
    public static async Task RunAsync(int invocations)
    {
        var bench = new PlaceBidBenchmarks();
        bench.Setup();
        for (var i = 0; i < 200; i++)
        {
            await bench.PlaceBidUseCase(); // warm-up: tiered JIT reaches its optimized code
            bench.AuctionDecision();
        }

        await MeasureAsync("PlaceBid use case (in-memory)", invocations, async () => await bench.PlaceBidUseCase());
        await MeasureAsync("Auction.PlaceBid decision", invocations, () => { bench.AuctionDecision(); return Task.CompletedTask; });
    }

    private static async Task MeasureAsync(string name, int invocations, Func<Task> body)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < invocations; i++)
        {
            await body();
        }

        wall.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var bids = invocations * 1_000.0;
        Console.WriteLine($"{name}: {bids:N0} accepted bids; wall {wall.Elapsed.TotalSeconds:F2} s = {bids / wall.Elapsed.TotalSeconds:N0}/s; CPU {cpu.TotalSeconds:F2} s = {bids / cpu.TotalSeconds:N0}/s");
    }
}

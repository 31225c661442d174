using BenchmarkDotNet.Running;
using RemateLive.Benchmarks;

// "--cpu-time": a contention-proof cross-check for busy machines (wall-clock benchmarks there measure
// the scheduler): runs the same benchmark bodies and divides by the process's CPU time.
if (args is ["--cpu-time", ..])
{
    await CpuTimeProbe.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RemateLive.LoadTest;

Options o;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(Options.Usage);
        return 0;
    }
    o = Options.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or OverflowException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    Console.Error.WriteLine("run with --help for the options");
    return 1;
}

try
{
    return await Runner.MainAsync(o, args);
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or JsonException or IOException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}

internal static class Runner
{
    public static async Task<int> MainAsync(Options o, string[] args)
    {
        if (o.Child)
        {
            // Child of --spawn: auctions given by the parent, READY/GO handshake on stdin/stdout.
            var run = new LocalRun(o, o.AuctionIds);
            var partial = await run.RunAsync(null, async () =>
            {
                Console.Out.WriteLine("READY");
                await Console.Out.FlushAsync();
                string? line = await Console.In.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(o.RampTimeout + 60));
                if (line is null || !line.StartsWith("GO ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("no GO from parent");
                }
                return long.Parse(line.AsSpan(3), CultureInfo.InvariantCulture);
            });
            await File.WriteAllTextAsync(o.PartialOut ?? throw new InvalidOperationException("--partial-out missing"), JsonSerializer.Serialize(partial, Json.Options));
            return 0;
        }

        if (o.Sale)
        {
            return await new SaleRun(o).RunAsync();
        }

        using var api = new Api(o.HttpBase);
        List<string> auctionIds;
        if (o.AuctionIds.Count > 0)
        {
            auctionIds = o.AuctionIds.Take(o.Auctions).ToList();
        }
        else if (o.CreateAuction)
        {
            auctionIds = await api.CreateAuctionsAsync(o.AdminPassword, o.Auctions, o.RunId);
            Console.Error.WriteLine($"created auction(s): {string.Join(", ", auctionIds)}");
        }
        else
        {
            auctionIds = await api.OpenAuctionsAsync(o.Auctions);
            Console.Error.WriteLine($"using open auction(s): {string.Join(", ", auctionIds)}");
        }

        if (o.Reconnect)
        {
            return await new ResilientRun(o, auctionIds, api).RunAsync();
        }

        List<PartialResult> parts;
        long? rssBefore, rssAfter;
        if (o.Spawn > 0)
        {
            (parts, rssBefore, rssAfter) = await SpawnAsync(o, args, auctionIds);
        }
        else
        {
            var run = new LocalRun(o, auctionIds);
            var partial = await run.RunAsync(o.ServerPid, null);
            parts = [partial];
            rssBefore = partial.RssBeforeKb;
            rssAfter = partial.RssAfterKb;
        }

        StoreCheck? store = null;
        string? storeFailure = null;
        if (o.VerifyStore)
        {
            try
            {
                store = await api.VerifyAsync(auctionIds, parts.SelectMany(p => p.Bids).Where(b => b.Code == "ACCEPTED" && b.Seq > 0));
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                store = new StoreCheck { Checked = true, MissingInBids = -1, MissingInEvents = -1, Notes = { "verification failed: " + ex.Message } };
                storeFailure = "store verification could not run: " + ex.Message;
            }
        }
        var result = Merge.Build(o, auctionIds, parts, rssBefore, rssAfter, store);
        if (storeFailure is not null)
        {
            result.Failures.Add(storeFailure);
        }
        Merge.Judge(o, result);
        if (result.Store is { MissingInBids: < 0 })
        {
            result.Passed = false;
        }

        Console.Out.Write(Report.Table(result));
        if (o.SummaryLine)
        {
            Console.Out.WriteLine(Report.SummaryLine(result));
        }
        if (o.Out is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Out))!);
            await File.WriteAllTextAsync(o.Out, JsonSerializer.Serialize(result, Json.Options));
        }
        if (o.Html is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Html))!);
            await File.WriteAllTextAsync(o.Html, Report.Html(result));
        }
        return result.Passed ? 0 : 2;
    }

    private static async Task<(List<PartialResult>, long?, long?)> SpawnAsync(Options o, string[] args, List<string> auctionIds)
    {
        string dir = Path.Combine(Path.GetTempPath(), "rl-load-" + o.RunId);
        Directory.CreateDirectory(dir);
        long? rssBefore = o.ServerPid is int p1 ? Rss.ReadKb(p1) : null;

        string[] parentOnly = ["--spawn", "--out", "--html", "--admin-password", "--server-pid", "--auction-id", "--auctions", "--run-id"];
        string[] parentFlags = ["--create-auction", "--verify-store", "--fail-on-loss"];
        var childArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (parentOnly.Contains(args[i]))
            {
                i++;
                continue;
            }
            if (!parentFlags.Contains(args[i]))
            {
                childArgs.Add(args[i]);
            }
        }
        string self = Environment.ProcessPath ?? "dotnet";
        var prefix = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            prefix.Add(typeof(Runner).Assembly.Location);
        }

        var children = new List<Process>();
        try
        {
            for (int i = 0; i < o.Spawn; i++)
            {
                var psi = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var a in prefix.Concat(childArgs))
                {
                    psi.ArgumentList.Add(a);
                }
                foreach (var a in new[]
                {
                    "--child", "--process-index", i.ToString(CultureInfo.InvariantCulture), "--process-count", o.Spawn.ToString(CultureInfo.InvariantCulture),
                    "--auctions", o.Auctions.ToString(CultureInfo.InvariantCulture), "--auction-id", string.Join(',', auctionIds),
                    "--run-id", o.RunId, "--partial-out", Path.Combine(dir, $"part{i}.json"),
                })
                {
                    psi.ArgumentList.Add(a);
                }
                children.Add(Process.Start(psi) ?? throw new InvalidOperationException("could not start child"));
            }

            using var readyCts = new CancellationTokenSource(TimeSpan.FromSeconds(o.RampTimeout + 30));
            foreach (var c in children)
            {
                string? line = await c.StandardOutput.ReadLineAsync(readyCts.Token);
                if (line != "READY")
                {
                    throw new InvalidOperationException($"child {c.Id} did not report READY (got '{line}')");
                }
            }
            await Task.Delay(500);
            long? rssAfter = o.ServerPid is int p2 ? Rss.ReadKb(p2) : null;
            long t0 = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 3);
            foreach (var c in children)
            {
                await c.StandardInput.WriteLineAsync($"GO {t0}");
                await c.StandardInput.FlushAsync();
            }
            using var doneCts = new CancellationTokenSource(TimeSpan.FromSeconds(o.Duration + o.Drain + 60));
            foreach (var c in children)
            {
                await c.WaitForExitAsync(doneCts.Token);
                if (c.ExitCode != 0)
                {
                    throw new InvalidOperationException($"child {c.Id} exited with {c.ExitCode}");
                }
            }
            var parts = new List<PartialResult>();
            for (int i = 0; i < o.Spawn; i++)
            {
                string file = Path.Combine(dir, $"part{i}.json");
                parts.Add(JsonSerializer.Deserialize<PartialResult>(await File.ReadAllTextAsync(file), Json.Options)!);
                File.Delete(file);
            }
            return (parts, rssBefore, rssAfter);
        }
        finally
        {
            foreach (var c in children)
            {
                if (!c.HasExited)
                {
                    c.Kill();
                }
                c.Dispose();
            }
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

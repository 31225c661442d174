using System.Globalization;
using System.Net;

namespace RemateLive.LoadTest;

/// <summary>Command-line options. Every loop of the tool is bounded by these values.</summary>
internal sealed class Options
{
    /// <summary>Connections per process above this are refused: ulimit -n is 20,000 and cannot be raised.</summary>
    public const int MaxConnectionsPerProcess = 19_000;

    public Uri Url { get; set; } = new("http://127.0.0.1:5000");

    /// <summary>Every --url given (nodes of a cluster, or one proxy); connection g uses Urls[g % count].</summary>
    public List<Uri> Urls { get; set; } = [];
    public int Connections { get; set; } = 100;
    public int Bidders { get; set; } = 10;
    public double Rate { get; set; } = 10;
    public double Duration { get; set; } = 10;
    public int Auctions { get; set; } = 1;
    public List<string> AuctionIds { get; } = [];
    public bool CreateAuction { get; set; }
    public string AdminPassword { get; set; } = "";
    public int ConnectParallelism { get; set; } = 64;
    public double ConnectTimeout { get; set; } = 20;
    public double RampTimeout { get; set; } = 120;
    public double Drain { get; set; } = 5;
    public int? ServerPid { get; set; }
    public string? Out { get; set; }
    public string? Html { get; set; }
    public bool FailOnLoss { get; set; }
    public bool VerifyStore { get; set; }
    public int ProcessIndex { get; set; }
    public int ProcessCount { get; set; } = 1;
    public int Spawn { get; set; }
    public string? PartialOut { get; set; }
    public bool Child { get; set; }
    public bool Quiet { get; set; }
    public bool SummaryLine { get; set; }
    public string Label { get; set; } = "";
    public string RunId { get; set; } = Guid.NewGuid().ToString("N")[..8];
    public string UserPrefix { get; set; } = "lt";
    public bool PlainUsernames { get; set; }
    public bool Reconnect { get; set; }
    public string? ReadyFile { get; set; }
    public bool Sale { get; set; }
    public double LotSeconds { get; set; } = 5;

    /// <summary>The exact command line, for reports.</summary>
    public string CommandLine { get; set; } = "";

    public static string Usage => """
        RemateLive.LoadTest — WebSocket load generator for /ws/auctions/{id} (loopback only).

          --url URL[,URL..]         host base URL (default http://127.0.0.1:5000); must be loopback. Several
                                    (the nodes of a cluster): connection g uses URL g mod count, REST the
                                    first, and bid → watcher latency is split same node / cross node. A
                                    proxy URL alone spreads connections as the proxy does (no split)
          --connections N           sockets in total (default 100)
          --bidders B               how many of them bid (default 10); the rest watch
          --rate R                  bids/s in total, open loop (default 10)
          --duration S              bidding phase in seconds (default 10)
          --auctions K              spread connections over K auctions (default 1)
          --auction-id ID[,ID..]    auctions to use; else --create-auction, else first open ones
          --create-auction          log in as admin and POST /api/auctions (needs --admin-password)
          --admin-password P
          --connect-parallelism P   concurrent connects during ramp-up (default 64)
          --connect-timeout S       per connection, connect + auth_ok (default 20)
          --ramp-timeout S          whole ramp-up (default 120)
          --drain S                 after bidding, wait up to S for acks/deliveries (default 5)
          --server-pid PID          read VmRSS of PID before/after connecting
          --out FILE.json           write the results as JSON
          --html FILE.html          write a self-contained HTML report
          --fail-on-loss            exit 2 when a message was lost or an acked bid was not delivered
          --verify-store            at the end check acked bids in /bids and /events (REST)
          --process-index I --process-count N   run share I of N (usernames and bidders interleaved)
          --spawn N                 run N child processes of this tool and merge their results
          --label TEXT              free text copied into the results
          --user-prefix P           usernames are P_<run id>_<n> (default lt; the run id keeps re-runs against
                                    the same host from hitting USERNAME_TAKEN)
          --plain-usernames         usernames exactly P_<n> (fresh host only)
          --quiet                   no per-second progress
          --summary-line            print one "SUMMARY key=value ..." line (for scripts)
          --reconnect               resilience mode (scripts/chaos.sh): every socket is a RemateLive.Client that
                                    reconnects and resumes by seq, bids are retried by idempotency key across
                                    reconnects; reports per-client recovery and checks every client's history
                                    against the store (no latency histograms, no --spawn)
          --ready-file FILE         (--reconnect) create FILE when every client is connected and bidding
                                    starts, so a harness can time a fault from the start of bidding
          --sale                    live-sale mode: creates a sale (needs --admin-password), N sockets on
                                    /ws/sales/{id} (one REST login each), B bid online at the asking price,
                                    an auctioneer (REST) runs the lots; bid → last socket latency (one process)
          --lot-seconds S           (--sale) each lot: fair warning and an asking-price jump at S/2, sold or
                                    passed and the next opened at S (default 5)
        Exit codes: 0 ok, 1 usage/setup error, 2 loss or store verification failed.
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options { CommandLine = string.Join(' ', args.Select(Quote)) };
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{a} needs a value");
                }
                return args[++i];
            }
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (a)
            {
                case "--url":
                    o.Urls = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))];
                    o.Url = o.Urls.Count > 0 ? o.Urls[0] : throw new ArgumentException("--url needs a value");
                    break;
                case "--connections": o.Connections = NextInt(); break;
                case "--bidders": o.Bidders = NextInt(); break;
                case "--rate": o.Rate = NextDouble(); break;
                case "--duration": o.Duration = NextDouble(); break;
                case "--auctions": o.Auctions = NextInt(); o._auctionsGiven = true; break;
                case "--auction-id": o.AuctionIds.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--create-auction": o.CreateAuction = true; break;
                case "--admin-password": o.AdminPassword = Next(); break;
                case "--connect-parallelism": o.ConnectParallelism = NextInt(); break;
                case "--connect-timeout": o.ConnectTimeout = NextDouble(); break;
                case "--ramp-timeout": o.RampTimeout = NextDouble(); break;
                case "--drain": o.Drain = NextDouble(); break;
                case "--server-pid": o.ServerPid = NextInt(); break;
                case "--out": o.Out = Next(); break;
                case "--html": o.Html = Next(); break;
                case "--fail-on-loss": o.FailOnLoss = true; break;
                case "--verify-store": o.VerifyStore = true; break;
                case "--process-index": o.ProcessIndex = NextInt(); break;
                case "--process-count": o.ProcessCount = NextInt(); break;
                case "--spawn": o.Spawn = NextInt(); break;
                case "--partial-out": o.PartialOut = Next(); break;
                case "--child": o.Child = true; break;
                case "--run-id": o.RunId = Next(); break;
                case "--label": o.Label = Next(); break;
                case "--user-prefix": o.UserPrefix = Next(); break;
                case "--plain-usernames": o.PlainUsernames = true; break;
                case "--quiet": o.Quiet = true; break;
                case "--summary-line": o.SummaryLine = true; break;
                case "--reconnect": o.Reconnect = true; break;
                case "--ready-file": o.ReadyFile = Next(); break;
                case "--sale": o.Sale = true; break;
                case "--lot-seconds": o.LotSeconds = NextDouble(); break;
                default: throw new ArgumentException($"unknown option {a}");
            }
        }
        o.Validate();
        return o;
    }

    private bool _auctionsGiven;

    private void Validate()
    {
        if (!_auctionsGiven && AuctionIds.Count > 1)
        {
            Auctions = AuctionIds.Count;
        }
        if (Urls.Count == 0)
        {
            Urls = [Url];
        }
        foreach (var url in Urls)
        {
            if (url.Scheme is not ("http" or "ws"))
            {
                throw new ArgumentException("--url must be http:// or ws:// (loopback only)");
            }
            if (!IsLoopback(url))
            {
                throw new ArgumentException($"refusing non-loopback target '{url.Host}': this tool only drives 127.0.0.1/::1/localhost");
            }
        }
        Check(Connections is >= 1 and <= 1_000_000, "--connections must be 1..1000000");
        Check(Bidders >= 0 && Bidders <= Connections, "--bidders must be 0..connections");
        Check(Rate is > 0 and <= 100_000, "--rate must be in (0, 100000]");
        Check(Duration is > 0 and <= 3600, "--duration must be in (0, 3600]");
        Check(Auctions is >= 1 and <= 1000, "--auctions must be 1..1000");
        Check(ConnectParallelism is >= 1 and <= 4096, "--connect-parallelism must be 1..4096");
        Check(Drain is >= 0 and <= 120, "--drain must be 0..120");
        Check(ProcessCount >= 1 && ProcessIndex >= 0 && ProcessIndex < ProcessCount, "--process-index must be in [0, --process-count)");
        Check(Spawn is >= 0 and <= 64, "--spawn must be 0..64");
        Check(Spawn == 0 || ProcessCount == 1, "use either --spawn or --process-index/--process-count");
        Check(!Reconnect || (Spawn == 0 && ProcessCount == 1 && Connections <= 5_000), "--reconnect runs in one process, at most 5000 connections");
        Check(!CreateAuction || AdminPassword.Length > 0, "--create-auction needs --admin-password");
        Check(!Sale || (AdminPassword.Length > 0 && Spawn == 0 && ProcessCount == 1 && Urls.Count == 1 && !Reconnect), "--sale needs --admin-password and runs in one process against one URL");
        Check(LotSeconds is >= 1 and <= 3600, "--lot-seconds must be 1..3600");
        Check(AuctionIds.Count == 0 || AuctionIds.Count >= Auctions, "--auction-id must list at least --auctions ids");
        int perProcess = (int)Math.Ceiling(Connections / (double)Math.Max(ProcessCount, Math.Max(Spawn, 1)));
        if (perProcess > MaxConnectionsPerProcess)
        {
            int needed = (int)Math.Ceiling(Connections / (double)MaxConnectionsPerProcess);
            throw new ArgumentException(
                $"{perProcess} connections in one process exceeds {MaxConnectionsPerProcess} (open-files limit is 20,000 per process and cannot be raised). " +
                $"Use --spawn {needed} (children + merged results), or run {needed} processes with --process-index i --process-count {needed}.");
        }
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }

    public static bool IsLoopback(Uri url)
    {
        if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Base URL for HTTP calls (http scheme).</summary>
    public Uri HttpBase => new UriBuilder(Url) { Scheme = "http", Path = "/" }.Uri;

    /// <summary>Which --url connection <paramref name="global"/> uses.</summary>
    public int NodeOf(int global) => global % Math.Max(1, Urls.Count);

    public Uri SocketUri(string auctionId, int global) =>
        new UriBuilder(Urls.Count > 0 ? Urls[NodeOf(global)] : Url) { Scheme = "ws", Path = "/ws/auctions/" + Uri.EscapeDataString(auctionId) }.Uri;

    /// <summary>Username of global connection <paramref name="global"/> (3–32 of [a-z0-9_.-]).</summary>
    public string Username(int global) => PlainUsernames
        ? $"{UserPrefix}_{global}"
        : $"{UserPrefix}_{RunId[..Math.Min(6, RunId.Length)]}_{global}";

    /// <summary>Connection global index for local slot <paramref name="local"/> (interleaved across processes).</summary>
    public int GlobalIndex(int local) => ProcessIndex + (local * ProcessCount);

    public int LocalConnections => Connections <= ProcessIndex ? 0 : ((Connections - 1 - ProcessIndex) / ProcessCount) + 1;

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./:=,@".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}

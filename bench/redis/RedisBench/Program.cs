// Benchmarks for docs/benchmarks.md (not tests). Driven by bench/redis/run.sh.
//   sha <redis-config>                                  prints the SHA1 of the library's token-bucket script (loads it)
//   ratelimit <redis-config> <seconds> <concurrency>    rate-limit checks/s through the library's IRateLimiter
//   latency <node-a-url> <node-b-url> <admin-password> <bids>   bid→broadcast latency seen on node A vs node B
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RemateLive;
using RemateLive.Ports;
using StackExchange.Redis;

var inv = CultureInfo.InvariantCulture;
switch (args.FirstOrDefault())
{
    case "sha":
    {
        var script = (string)typeof(RedisRemateLiveBuilderExtensions).Assembly
            .GetType("RemateLive.Redis.Internal.RedisRateLimiter", throwOnError: true)!
            .GetField("Script", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        await using var mux = await ConnectionMultiplexer.ConnectAsync(args[1]);
        var sha = await mux.GetServers()[0].ScriptLoadAsync(script);
        Console.WriteLine(Convert.ToHexStringLower(sha));
        return 0;
    }

    case "ratelimit":
    {
        var seconds = int.Parse(args[2], inv);
        var concurrency = int.Parse(args[3], inv);
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddRemateLiveCore().UseRedis(args[1], o => o.KeyPrefix = "bench");
        await using var provider = services.BuildServiceProvider();
        var limiter = provider.GetRequiredService<IRateLimiter>();
        // Connect first, as a host does at start-up (its feed subscribes to the bus); until the shared
        // multiplexer is connected, checks fall back to in-memory buckets and would not measure Redis.
        await using var subscription = await provider.GetRequiredService<IAuctionEventBus>().SubscribeAsync(new NoHandler());
        var rule = new TokenBucketRule(1_000_000, 1_000_000);
        await limiter.TryAcquireAsync("warmup", rule); // connects and loads the script
        for (var i = 0; i < 2_000; i++)
        {
            await limiter.TryAcquireAsync("warmup", rule);
        }

        long count = 0;
        var until = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var n = 0L;
            var key = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                await limiter.TryAcquireAsync("user:" + ((w * 7919) + (key++ % 10_000)).ToString(inv), rule);
                n++;
            }

            Interlocked.Add(ref count, n);
        })));
        Console.WriteLine(string.Create(inv, $"library_checks_per_second {count / watch.Elapsed.TotalSeconds:0}"));
        return 0;
    }

    case "latency":
        return await Latency.RunAsync(new Uri(args[1]), new Uri(args[2]), args[3], int.Parse(args[4], inv));

    default:
        Console.Error.WriteLine("usage: sha|ratelimit|latency … (see the header of Program.cs)");
        return 2;
}

internal sealed class NoHandler : IAuctionBusHandler
{
    public ValueTask OnEventsAsync(IReadOnlyList<RemateLive.Events.AuctionEvent> events) => ValueTask.CompletedTask;

    public ValueTask OnPresenceAsync(PresenceNotice notice) => ValueTask.CompletedTask;
}

internal static class Latency
{
    public static async Task<int> RunAsync(Uri nodeA, Uri nodeB, string adminPassword, int bids)
    {
        using var httpA = new HttpClient { BaseAddress = nodeA };
        var admin = await LoginAsync(httpA, "admin", adminPassword);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/auctions")
        {
            Content = JsonContent.Create(new
            {
                title = "Latency bench",
                description = "bench/redis",
                currency = "USD",
                starting_price_cents = 100,
                increment = new { kind = "fixed", amount_cents = 1 },
                ends_at = DateTimeOffset.UtcNow.AddHours(1).UtcDateTime.ToString("O"),
            }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        var created = await httpA.SendAsync(create);
        var auction = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var stamp = Guid.NewGuid().ToString("N")[..8];
        using var bidder = await Socket.JoinAsync(nodeA, auction, "bidder" + stamp, await LoginAsync(httpA, "bidder" + stamp));
        using var onA = await Socket.JoinAsync(nodeA, auction, "watcha" + stamp, await LoginAsync(httpA, "watcha" + stamp));
        using var httpB = new HttpClient { BaseAddress = nodeB };
        using var onB = await Socket.JoinAsync(nodeB, auction, "watchb" + stamp, await LoginAsync(httpB, "watchb" + stamp));

        var latA = new List<double>();
        var latB = new List<double>();
        for (var i = 1; i <= bids; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            await bidder.SendAsync(new { type = "bid", payload = new { amount_cents = 100 + i } });
            var a = onA.WaitSeqAsync(i);
            var b = onB.WaitSeqAsync(i);
            latA.Add(Stopwatch.GetElapsedTime(sent, await a).TotalMilliseconds);
            latB.Add(Stopwatch.GetElapsedTime(sent, await b).TotalMilliseconds);
            await Task.Delay(10);
        }

        static string P(List<double> l, double q) => l.Order().ElementAt((int)Math.Min(l.Count - 1, Math.Floor(q * l.Count))).ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"bids {bids}");
        Console.WriteLine($"node_a_ms p50 {P(latA, 0.5)} p99 {P(latA, 0.99)}");
        Console.WriteLine($"node_b_ms p50 {P(latB, 0.5)} p99 {P(latB, 0.99)}");
        var extra = latA.Zip(latB, (x, y) => y - x).ToList();
        Console.WriteLine($"extra_ms_b_minus_a p50 {P(extra, 0.5)} p99 {P(extra, 0.99)}");
        return 0;
    }

    private static async Task<string> LoginAsync(HttpClient http, string user, string? password = null)
    {
        var response = await http.PostAsJsonAsync("/api/auth/login", new { username = user, display_name = user, password });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private sealed class Socket : IDisposable
    {
        private readonly ClientWebSocket _ws = new();

        public void Dispose() => _ws.Dispose();
        private readonly Dictionary<long, TaskCompletionSource<long>> _waiting = [];

        public static async Task<Socket> JoinAsync(Uri node, string auction, string user, string token)
        {
            var s = new Socket();
            await s._ws.ConnectAsync(new UriBuilder(node) { Scheme = "ws", Path = $"/ws/auctions/{auction}" }.Uri, CancellationToken.None);
            _ = s.ReadAsync();
            await s.SendAsync(new { type = "auth", payload = new { username = user, display_name = user, token } });
            return s;
        }

        public Task SendAsync(object message) =>
            _ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

        public Task<long> WaitSeqAsync(long seq)
        {
            lock (_waiting)
            {
                if (!_waiting.TryGetValue(seq, out var tcs))
                {
                    _waiting[seq] = tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            while (_ws.State == WebSocketState.Open)
            {
                var r = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                var now = Stopwatch.GetTimestamp();
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var root = JsonDocument.Parse(buffer.AsMemory(0, r.Count)).RootElement;
                if (root.GetProperty("type").GetString() == "bid_placed")
                {
                    var seq = root.GetProperty("payload").GetProperty("seq").GetInt64();
                    lock (_waiting)
                    {
                        if (!_waiting.TryGetValue(seq, out var tcs))
                        {
                            _waiting[seq] = tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                        }

                        tcs.TrySetResult(now);
                    }
                }
            }
        }
    }
}

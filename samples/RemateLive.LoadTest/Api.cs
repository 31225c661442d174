using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RemateLive.LoadTest;

/// <summary>The few REST calls of the contract the tool needs: admin login, create/list auctions, read bids/events.</summary>
internal sealed class Api : IDisposable
{
    private readonly HttpClient _http;

    public Api(Uri baseUri)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(15) };
    }

    public void Dispose() => _http.Dispose();

    public async Task<List<string>> CreateAuctionsAsync(string adminPassword, int count, string runId)
    {
        using var login = await _http.PostAsJsonAsync("api/auth/login", new Dictionary<string, object>
        {
            ["username"] = "admin",
            ["display_name"] = "Admin",
            ["password"] = adminPassword,
        });
        await EnsureAsync(login, "POST /api/auth/login");
        using var loginDoc = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        string token = loginDoc.RootElement.GetProperty("token").GetString() ?? throw new InvalidOperationException("login returned no token");
        var ids = new List<string>();
        for (int i = 0; i < count; i++)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "api/auctions")
            {
                Content = JsonContent.Create(new Dictionary<string, object>
                {
                    ["title"] = $"Load test {runId} #{i + 1}",
                    ["description"] = "Created by RemateLive.LoadTest",
                    ["image_url"] = "https://example.invalid/loadtest.png",
                    ["currency"] = "USD",
                    ["starting_price_cents"] = 1000,
                    ["increment"] = new Dictionary<string, object> { ["kind"] = "fixed", ["amount_cents"] = 100 },
                    ["ends_at"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                }),
            };
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var res = await _http.SendAsync(req);
            await EnsureAsync(res, "POST /api/auctions");
            using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
            ids.Add(doc.RootElement.GetProperty("id").GetString() ?? throw new InvalidOperationException("created auction has no id"));
        }
        return ids;
    }

    public async Task<List<string>> OpenAuctionsAsync(int count)
    {
        using var res = await _http.GetAsync("api/auctions?status=open");
        await EnsureAsync(res, "GET /api/auctions?status=open");
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        var ids = doc.RootElement.EnumerateArray()
            .Where(a => !a.TryGetProperty("status", out var s) || s.GetString() == "open")
            .Select(a => a.GetProperty("id").GetString()!).Take(count).ToList();
        if (ids.Count < count)
        {
            throw new InvalidOperationException($"only {ids.Count} open auction(s), {count} needed (use --create-auction or --auction-id)");
        }
        return ids;
    }

    /// <summary>Checks every accepted bid seq appears in /bids (paged by before_seq) and /events (paged by after_seq).</summary>
    public async Task<StoreCheck> VerifyAsync(IReadOnlyList<string> auctionIds, IEnumerable<BidOut> accepted)
    {
        var check = new StoreCheck { Checked = true };
        var byAuction = accepted.ToLookup(b => b.Auction);
        for (int index = 0; index < auctionIds.Count; index++)
        {
            string id = auctionIds[index];
            var want = byAuction[index].Select(b => b.Seq).ToHashSet();
            check.AckedAccepted += want.Count;

            var bidSeqs = new HashSet<long>();
            long? before = null;
            for (int page = 0; page < 10_000; page++)
            {
                string url = $"api/auctions/{Uri.EscapeDataString(id)}/bids?limit=500" + (before is long b ? $"&before_seq={b}" : "");
                using var res = await _http.GetAsync(url);
                await EnsureAsync(res, "GET " + url);
                using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
                long min = long.MaxValue;
                int n = 0;
                foreach (var bid in doc.RootElement.EnumerateArray())
                {
                    long s = bid.GetProperty("seq").GetInt64();
                    bidSeqs.Add(s);
                    min = Math.Min(min, s);
                    n++;
                }
                if (n == 0 || min <= 1 || min == before)
                {
                    break;
                }
                before = min;
            }

            var eventSeqs = new HashSet<long>();
            long after = 0;
            for (int page = 0; page < 10_000; page++)
            {
                string url = $"api/auctions/{Uri.EscapeDataString(id)}/events?after_seq={after}&limit=500";
                using var res = await _http.GetAsync(url);
                await EnsureAsync(res, "GET " + url);
                using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
                long max = after;
                int n = 0;
                foreach (var ev in doc.RootElement.EnumerateArray())
                {
                    var payload = ev.TryGetProperty("payload", out var p) ? p : ev;
                    string? type = ev.TryGetProperty("type", out var t) ? t.GetString() : null;
                    if (payload.TryGetProperty("seq", out var s) || ev.TryGetProperty("seq", out s))
                    {
                        long seq = s.GetInt64();
                        max = Math.Max(max, seq);
                        if (type is null or "bid_placed")
                        {
                            eventSeqs.Add(seq);
                        }
                    }
                    n++;
                }
                if (n == 0 || max == after)
                {
                    break;
                }
                after = max;
            }

            check.MaxEventSeq[index] = after;
            long missBids = want.Count(s => !bidSeqs.Contains(s));
            long missEvents = want.Count(s => !eventSeqs.Contains(s));
            check.MissingInBids += missBids;
            check.MissingInEvents += missEvents;
            check.Notes.Add($"auction {id}: {want.Count} accepted, /bids has {bidSeqs.Count} (missing {missBids}), /events has {eventSeqs.Count} bid_placed (missing {missEvents})");
        }
        return check;
    }

    /// <summary>Every durable event's seq (any type), in order, from /events (paged).</summary>
    public async Task<List<long>> EventSeqsAsync(string auctionId)
    {
        var seqs = new List<long>();
        for (int page = 0; page < 10_000; page++)
        {
            string url = $"api/auctions/{Uri.EscapeDataString(auctionId)}/events?after_seq={(seqs.Count == 0 ? 0 : seqs[^1])}&limit=500";
            using var res = await _http.GetAsync(url);
            await EnsureAsync(res, "GET " + url);
            using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
            int n = 0;
            foreach (var ev in doc.RootElement.EnumerateArray())
            {
                seqs.Add(ev.GetProperty("payload").GetProperty("seq").GetInt64());
                n++;
            }
            if (n == 0)
            {
                break;
            }
        }
        return seqs;
    }

    private static async Task EnsureAsync(HttpResponseMessage res, string what)
    {
        if (!res.IsSuccessStatusCode)
        {
            string body = await res.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{what} → {(int)res.StatusCode}: {body[..Math.Min(body.Length, 400)]}");
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RemateLive.Client.Tests.Integration;

/// <summary>The host's REST API, read directly (the server's side of every comparison).</summary>
internal sealed class Rest(Func<Uri> baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    public async Task<string> CreateAuctionAsync()
    {
        using var login = await _http.PostAsJsonAsync(new Uri(baseAddress(), "/api/auth/login"), new { username = "admin", display_name = "Admin", password = SampleHost.AdminPassword });
        var loginBody = await login.Content.ReadAsStringAsync();
        Assert.True(login.IsSuccessStatusCode, $"admin login: {(int)login.StatusCode} {loginBody}");
        var token = JsonDocument.Parse(loginBody).RootElement.GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress(), "/api/auctions"))
        {
            Content = JsonContent.Create(new
            {
                title = "Client test lot",
                description = "RemateLive.Client integration test",
                image_url = (string?)null,
                currency = "USD",
                starting_price_cents = 1_000,
                increment = new { kind = "fixed", amount_cents = 100 },
                ends_at = DateTimeOffset.UtcNow.AddMinutes(30).UtcDateTime.ToString("O"),
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create auction: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Every durable event's (type, seq), in seq order, from the store.</summary>
    public async Task<List<(string Type, long Seq)>> EventsAsync(string auctionId)
    {
        var all = new List<(string, long)>();
        long after = 0;
        while (true)
        {
            var page = JsonDocument.Parse(await _http.GetStringAsync(new Uri(baseAddress(), $"/api/auctions/{auctionId}/events?after_seq={after}&limit=500"))).RootElement;
            var n = 0;
            foreach (var e in page.EnumerateArray())
            {
                after = e.GetProperty("payload").GetProperty("seq").GetInt64();
                all.Add((e.GetProperty("type").GetString()!, after));
                n++;
            }

            if (n == 0)
            {
                return all;
            }
        }
    }

    /// <summary>Every bid's amount, from the store.</summary>
    public async Task<List<long>> BidAmountsAsync(string auctionId)
    {
        var page = JsonDocument.Parse(await _http.GetStringAsync(new Uri(baseAddress(), $"/api/auctions/{auctionId}/bids?limit=500"))).RootElement;
        return page.EnumerateArray().Select(b => b.GetProperty("amount_cents").GetInt64()).ToList();
    }
}

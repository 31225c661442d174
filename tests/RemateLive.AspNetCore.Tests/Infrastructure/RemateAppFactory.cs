using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace RemateLive.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The sample host in a TestServer with its own in-memory store, no demo data, a known admin password
/// and an injected <see cref="FakeTimeProvider"/> (starting at the real now, so Data Protection's expiry
/// check agrees). Each test class gets its own instance, so data never leaks between classes.
/// </summary>
public class RemateAppFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "test-admin-password";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Extra configuration (key → value) applied on top of the test defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("RemateLive:SeedDemoData", "false");
        builder.UseSetting("RemateLive:Admin:Password", AdminPassword);
        builder.UseSetting("RemateLive:RateLimits:BidBurst", "1000");
        builder.UseSetting("RemateLive:RateLimits:ConnectionBurst", "1000");
        builder.UseSetting("RemateLive:RateLimits:PasswordCheckBurst", "1000"); // every test signs the admin in again
        builder.UseSetting("RemateLive:RateLimits:UsernamePasswordCheckBurst", "1000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
    }

    /// <summary>Signs in (claiming the name when new) and returns the token.</summary>
    public async Task<string> LoginAsync(string username, string? password = null, string? displayName = null)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, display_name = displayName ?? username, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login {username}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["token"]!.GetValue<string>();
    }

    /// <summary>A client that sends <paramref name="token"/> as a bearer token.</summary>
    public HttpClient CreateClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client signed in as the seeded admin.</summary>
    public async Task<HttpClient> CreateAdminClientAsync() => CreateClient(await LoginAsync("admin", AdminPassword));

    /// <summary>A client signed in as a fresh bidder.</summary>
    public async Task<HttpClient> CreateBidderClientAsync(string? name = null) =>
        CreateClient(await LoginAsync(name ?? UniqueName("bidder")));

    /// <summary>Creates an auction (fixed increment of 100 cents unless <paramref name="body"/> says otherwise) and returns its JSON.</summary>
    public async Task<JsonNode> CreateAuctionAsync(object? body = null)
    {
        using var admin = await CreateAdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/auctions", body ?? DefaultAuction(Time.GetUtcNow()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"create auction: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static object DefaultAuction(DateTimeOffset now, string title = "Test lot") => new
    {
        title,
        description = "A thing to sell.",
        currency = "USD",
        starting_price_cents = 1_000,
        increment = new { kind = "fixed", amount_cents = 100 },
        ends_at = now.AddHours(1),
    };

    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(32, prefix.Length + 13)];

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("Empty body.");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

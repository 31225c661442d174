using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Sales;

/// <summary>A real Kestrel host with an auctioneer (admin) signed in, and helpers for the sale REST API and sockets.</summary>
internal sealed class SaleHost : IAsyncDisposable
{
    private SaleHost(RealtimeTestHost host, HttpClient auctioneer)
    {
        Host = host;
        Auctioneer = auctioneer;
    }

    public RealtimeTestHost Host { get; }

    /// <summary>An HTTP client signed in as an admin (who may run sales).</summary>
    public HttpClient Auctioneer { get; }

    public static async Task<SaleHost> StartAsync()
    {
        var host = await RealtimeTestHost.StartAsync();
        var identity = host.Services.GetRequiredService<RemateIdentity>();
        await identity.EnsureAdminAsync("rostrum", "rostrum-password-1", CancellationToken.None);
        var signIn = await identity.SignInAsync("rostrum", null, "rostrum-password-1", null, null, CancellationToken.None);
        Assert.NotNull(signIn.Token);
        return new SaleHost(host, Client(host, signIn.Token!));
    }

    public static HttpClient Client(RealtimeTestHost host, string? token)
    {
        var client = new HttpClient { BaseAddress = host.BaseUri };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Creates a sale of three lots (1,000 / 2,000 / 3,000 cents, fixed increment 100) and returns its JSON.</summary>
    public async Task<JsonElement> CreateSaleAsync()
    {
        var response = await Auctioneer.PostAsJsonAsync("/api/sales", new
        {
            title = "Estate of the late Mr. Pérez",
            currency = "USD",
            starts_at = Host.Time.GetUtcNow(),
            increment = new { kind = "fixed", amount_cents = 100 },
            lots = new[]
            {
                new { title = "Oak writing desk", starting_price_cents = 1_000, description = "c. 1900" },
                new { title = "Silver tea set", starting_price_cents = 2_000, description = "Six pieces" },
                new { title = "Oil on canvas", starting_price_cents = 3_000, description = "Unsigned" },
            },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<JsonElement> CommandAsync(string saleId, object body, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        var response = await Auctioneer.PostAsJsonAsync($"/api/sales/{saleId}/auctioneer", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Connects to <c>/ws/sales/{id}</c>, authenticates with a new user's token, returns the socket with its <c>auth_ok</c>.</summary>
    public async Task<(TestSocket Socket, string Token)> JoinAsync(string saleId, string username, long? lastSeq = null)
    {
        var (_, token) = await Host.SignInAsync(username);
        var socket = await TestSocket.ConnectAsync(new Uri($"ws://{Host.BaseUri.Authority}/ws/sales/{saleId}"));
        await socket.SendAsync(new { type = "auth", token, last_seq = lastSeq });
        socket.AuthOk = await socket.NextAsync("auth_ok");
        return (socket, token);
    }

    public async ValueTask DisposeAsync()
    {
        Auctioneer.Dispose();
        await Host.DisposeAsync();
    }
}

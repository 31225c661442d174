using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>
/// Issue #11 item 10: every endpoint × anonymous / bidder / seller (a non-admin who sells the lot) / admin,
/// over the sample's HTTP pipeline. Each cell is the status that persona must get.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private const int Seller = 2;

    private readonly RemateAppFactory _app = new(); // its own: the matrix changes passwords

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private delegate Task<HttpResponseMessage> Call(HttpClient client, Persona persona, AuctionId auction);

    [Fact]
    public async Task Every_endpoint_answers_each_persona_as_specified()
    {
        var personas = new[]
        {
            new Persona("anonymous", null, null),
            await PersonaAsync("bidder", RemateAppFactory.UniqueName("mx_bidder")),
            await PersonaAsync("seller", RemateAppFactory.UniqueName("mx_seller")),
            await PersonaAsync("admin", "admin", RemateAppFactory.AdminPassword),
        };
        var sellerId = personas[Seller].UserId!.Value;

        // (endpoint, call, expected status for anonymous, bidder, seller, admin)
        var rows = new (string Endpoint, Call Call, HttpStatusCode[] Expected)[]
        {
            ("GET /api/auctions", (c, _, _) => c.GetAsync("/api/auctions"), All(HttpStatusCode.OK)),
            ("GET /api/auctions/{id}", (c, _, a) => c.GetAsync($"/api/auctions/{a}"), All(HttpStatusCode.OK)),
            ("GET /api/auctions/{id}/bids", (c, _, a) => c.GetAsync($"/api/auctions/{a}/bids"), All(HttpStatusCode.OK)),
            ("GET /api/auctions/{id}/events", (c, _, a) => c.GetAsync($"/api/auctions/{a}/events"), All(HttpStatusCode.OK)),
            ("POST /api/auctions", (c, _, _) => c.PostAsJsonAsync("/api/auctions", RemateAppFactory.DefaultAuction(_app.Time.GetUtcNow())),
                [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Created]),
            ("POST /api/auctions/{id}/close", (c, _, a) => c.PostAsync($"/api/auctions/{a}/close", null),
                [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK]),
            ("POST /api/auctions/{id}/cancel", (c, _, a) => c.PostAsync($"/api/auctions/{a}/cancel", null),
                [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK]),
            ("POST /api/auctions/{id}/bids", (c, _, a) => c.PostAsJsonAsync($"/api/auctions/{a}/bids", new { amount_cents = 1_000 }),
                [HttpStatusCode.Unauthorized, HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Created]),
            ("POST /api/auth/login (own name, with token)", (c, p, _) => c.PostAsJsonAsync("/api/auth/login", new { username = p.Username ?? RemateAppFactory.UniqueName("mx_anon") }),
                All(HttpStatusCode.OK)),
            ("POST /hubs/auctions/negotiate", (c, _, _) => c.PostAsync("/hubs/auctions/negotiate?negotiateVersion=1", null),
                [HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK]),
            ("GET /health", (c, _, _) => c.GetAsync("/health"), All(HttpStatusCode.OK)),
            ("GET /openapi/remate-live.json", (c, _, _) => c.GetAsync("/openapi/remate-live.json"), All(HttpStatusCode.OK)),
            ("POST /api/auth/logout", (c, _, _) => c.PostAsync("/api/auth/logout", null),
                [HttpStatusCode.Unauthorized, HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent]),
            // Last: it changes the persona's password.
            ("POST /api/auth/password", (c, p, _) => c.PostAsJsonAsync("/api/auth/password", new { current_password = p.Password, new_password = "matrix-new-password" }),
                [HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK]),
        };

        var failures = new List<string>();
        foreach (var (endpoint, call, expected) in rows)
        {
            for (var p = 0; p < personas.Length; p++)
            {
                var auction = await CreateAuctionAsync(sellerId);
                // A fresh sign-in per call: logout revokes the persona's earlier tokens.
                using var client = personas[p].Username is { } name
                    ? _app.CreateClient((await PersonaAsync(personas[p].Name, name, personas[p].Password)).Token!)
                    : _app.CreateClient();
                using var response = await call(client, personas[p], auction);
                if (response.StatusCode != expected[p])
                {
                    failures.Add($"{endpoint} as {personas[p].Name}: expected {(int)expected[p]}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static HttpStatusCode[] All(HttpStatusCode status) => [status, status, status, status];

    private async Task<Persona> PersonaAsync(string role, string username, string? password = null)
    {
        password ??= "persona-password";
        using var client = _app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password });
        var body = await RemateAppFactory.ReadJsonAsync(response);
        Assert.True(UserId.TryParse(body["user_id"]!.GetValue<string>(), out var id));
        return new Persona(role, body["token"]!.GetValue<string>(), id, username, password);
    }

    private async Task<AuctionId> CreateAuctionAsync(UserId seller)
    {
        var now = _app.Time.GetUtcNow();
        var result = await _app.Services.GetRequiredService<CreateAuction>().ExecuteAsync(new CreateAuctionCommand
        {
            Title = "Matrix lot",
            Description = "For the authorization matrix",
            Currency = "EUR",
            StartingPriceCents = 1_000,
            Increment = IncrementRule.Fixed(100),
            StartsAt = now.AddMinutes(-1),
            EndsAt = now.AddHours(1),
            SellerId = seller,
        });
        Assert.True(result.Succeeded);
        return result.Auction!.Id;
    }

    private sealed record Persona(string Name, string? Token, UserId? UserId, string? Username = null, string? Password = null);
}

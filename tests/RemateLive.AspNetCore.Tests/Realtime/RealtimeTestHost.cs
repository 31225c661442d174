using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>
/// A minimal app (<c>AddRemateLive()</c> + <c>MapRemateLive()</c>) on real Kestrel at 127.0.0.1 with a
/// random port and an injected <see cref="FakeTimeProvider"/> (timers move only when a test advances it).
/// </summary>
public sealed class RealtimeTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private RealtimeTestHost(WebApplication app, FakeTimeProvider time, Uri baseUri)
    {
        App = app;
        Time = time;
        BaseUri = baseUri;
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri BaseUri { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<RealtimeTestHost> StartAsync(Action<RemateLiveOptions>? configure = null, Action<RemateLiveBuilder>? adapters = null)
    {
        var time = new FakeTimeProvider(Epoch) { AutoAdvanceAmount = TimeSpan.Zero };
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)); // a failed test may leave sockets open
        var remate = builder.Services.AddRemateLive(o =>
        {
            // Tests open many connections and bid fast from one address; the limits get their own tests.
            o.RateLimits.ConnectionBurst = 1_000_000;
            o.RateLimits.ConnectionsPerSecond = 1_000_000;
            o.RateLimits.BidBurst = 1_000_000;
            o.RateLimits.BidsPerSecond = 1_000_000;
            configure?.Invoke(o);
        });
        adapters?.Invoke(remate);

        var app = builder.Build();
        app.MapRemateLive();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RealtimeTestHost(app, time, new Uri(address));
    }

    public Uri SocketUri(string auctionId) => new($"ws://{BaseUri.Authority}/ws/auctions/{auctionId}");

    public Uri SocketUri(AuctionId auctionId) => SocketUri(auctionId.ToString());

    /// <summary>Creates an open auction (fixed increment of 100 cents) ending in 7 days unless told otherwise.</summary>
    public async Task<AuctionId> CreateAuctionAsync(
        long startingPriceCents = 1_000,
        long incrementCents = 100,
        TimeSpan? duration = null,
        SoftClosePolicy? softClose = null,
        long? reservePriceCents = null,
        long? buyNowPriceCents = null)
    {
        var create = Services.GetRequiredService<CreateAuction>();
        var result = await create.ExecuteAsync(new CreateAuctionCommand
        {
            Title = "Test lot",
            Description = "A lot for tests",
            Currency = "EUR",
            StartingPriceCents = startingPriceCents,
            Increment = IncrementRule.Fixed(incrementCents),
            ReservePriceCents = reservePriceCents,
            BuyNowPriceCents = buyNowPriceCents,
            StartsAt = Time.GetUtcNow().AddMinutes(-1),
            EndsAt = Time.GetUtcNow() + (duration ?? TimeSpan.FromDays(7)),
            SoftClose = softClose,
            SellerId = UserId.New(),
        });
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return result.Auction!.Id;
    }

    /// <summary>Signs a user in (claims the name) and returns the user and token.</summary>
    internal async Task<(RemateUser User, string Token)> SignInAsync(string username)
    {
        var result = await Services.GetRequiredService<RemateIdentity>().SignInAsync(username, username.ToUpperInvariant(), null, null, null, CancellationToken.None);
        Assert.NotNull(result.User);
        return (result.User!, result.Token!);
    }

    public async Task<TestSocket> ConnectAsync(AuctionId auctionId, Action<ClientWebSocketOptions>? options = null) =>
        await TestSocket.ConnectAsync(SocketUri(auctionId), options);

    /// <summary>Connects, authenticates as <paramref name="username"/> and returns the socket with its <c>auth_ok</c>.</summary>
    public async Task<TestSocket> JoinAsync(AuctionId auctionId, string username, long? lastSeq = null, string? token = null)
    {
        var socket = await ConnectAsync(auctionId);
        await socket.SendAsync(new
        {
            type = "auth",
            payload = new { username, display_name = username.ToUpperInvariant(), token, last_seq = lastSeq },
        });
        socket.AuthOk = await socket.NextAsync("auth_ok");
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

using Microsoft.Extensions.Options;
using RemateLive.Domain;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.UseCases;

namespace RemateLive.Sample;

/// <summary>
/// Seeds demo auctions through the CreateAuction use case when the store has none and
/// <c>RemateLive:SeedDemoData</c> is true (the default). Runs once every service has started, so the
/// admin account (the seller) and any adapter's schema exist by then.
/// </summary>
internal sealed partial class DemoDataSeeder(
    IAuctionStore store,
    IUserStore users,
    CreateAuction createAuction,
    LiveSales liveSales,
    IConfiguration configuration,
    IOptions<RemateLiveOptions> options,
    TimeProvider time,
    ILogger<DemoDataSeeder> logger) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (string.Equals(options.Value.Admin.Password, SampleDefaults.DevelopmentAdminPassword, StringComparison.Ordinal))
        {
            LogDevelopmentPassword(logger, options.Value.Admin.Username, SampleDefaults.DevelopmentAdminPassword);
        }

        if (!configuration.GetValue("RemateLive:SeedDemoData", defaultValue: true))
        {
            return;
        }

        await SeedSaleAsync(cancellationToken);
        try
        {
            if ((await store.ListAuctionsAsync(null, cancellationToken)).Count > 0)
            {
                return;
            }

            var seller = (await users.FindByNameAsync(options.Value.Admin.Username, cancellationToken))?.Id ?? UserId.New();
            var now = time.GetUtcNow();
            var created = 0;
            foreach (var command in DemoAuctions(seller, now))
            {
                var result = await createAuction.ExecuteAsync(command, cancellationToken);
                if (result.Succeeded)
                {
                    created++;
                }
                else
                {
                    LogInvalid(logger, command.Title, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
                }
            }

            LogSeeded(logger, created);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex); // a demo nicety must not stop the host
        }
    }

    // A live sale of three lots for the auctioneer console (admin) and the bidder view, when there is none.
    private async Task SeedSaleAsync(CancellationToken cancellationToken)
    {
        try
        {
            if ((await liveSales.ListAsync(cancellationToken)).Count > 0)
            {
                return;
            }

            var auctioneer = (await users.FindByNameAsync(options.Value.Admin.Username, cancellationToken))?.Id ?? UserId.New();
            var (sale, errors) = await liveSales.CreateAsync(DemoSale(auctioneer, time.GetUtcNow()), cancellationToken);
            if (sale is null)
            {
                LogInvalid(logger, "demo sale", string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex);
        }
    }

    internal static CreateSaleCommand DemoSale(UserId auctioneer, DateTimeOffset now) => new(
        "Remate de antigüedades — estate of Casa Prat",
        "USD",
        IncrementRule.Tiered(new IncrementTier(0, 1_000), new IncrementTier(50_000, 2_500), new IncrementTier(200_000, 10_000)),
        now.AddMinutes(30),
        [
            new NewLot("Oak writing desk, c. 1900", 20_000, "Leave an absentee bid before it opens."),
            new NewLot("Silver tea set, six pieces", 45_000, "Hallmarked, Santiago 1920s."),
            new NewLot("Oil on canvas: harbour at dusk", 120_000, "Unsigned, 50 × 70 cm."),
        ],
        auctioneer);

    internal static IEnumerable<CreateAuctionCommand> DemoAuctions(UserId seller, DateTimeOffset now) =>
    [
        new()
        {
            Title = "Leica M3 rangefinder (1956)",
            Description = "Double-stroke body, serviced last year, with a Summicron 50 mm f/2. Buy it now before the first bid.",
            Currency = "USD",
            StartingPriceCents = 80_000,
            Increment = IncrementRule.Fixed(2_500),
            BuyNowPriceCents = 300_000,
            EndsAt = now.AddDays(7),
            SellerId = seller,
        },
        new()
        {
            Title = "Óleo sobre tela: Cerro Alegre, Valparaíso",
            Description = "Painting by a local artist, 60 × 80 cm. Reserve price; bids in the last two minutes extend the auction.",
            Currency = "CLP",
            StartingPriceCents = 15_000_000,
            Increment = IncrementRule.Percent(500),
            ReservePriceCents = 25_000_000,
            SoftClose = new SoftClosePolicy(WindowSeconds: 120, ExtensionSeconds: 120, MaxExtensions: 10),
            EndsAt = now.AddDays(2),
            SellerId = seller,
        },
        new()
        {
            Title = "Signed 1998 World Cup jersey",
            Description = "Flash auction: ends a few minutes after the server starts; eBay-style tiered increments.",
            Currency = "USD",
            StartingPriceCents = 5_000,
            Increment = IncrementRule.Tiered(new IncrementTier(0, 100), new IncrementTier(10_000, 500), new IncrementTier(100_000, 2_500)),
            SoftClose = new SoftClosePolicy(WindowSeconds: 30, ExtensionSeconds: 30, MaxExtensions: 5),
            EndsAt = now.AddMinutes(5),
            SellerId = seller,
        },
        new()
        {
            Title = "Mechanical keyboard, hand-wired",
            Description = "Opens for bids in ten minutes.",
            Currency = "USD",
            StartingPriceCents = 12_000,
            Increment = IncrementRule.Fixed(500),
            StartsAt = now.AddMinutes(10),
            EndsAt = now.AddDays(1),
            SellerId = seller,
        },
    ];

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "RemateLive:Admin:Password is not set: the '{Username}' account uses the development password '{Password}'. Set RemateLive__Admin__Password outside development.")]
    private static partial void LogDevelopmentPassword(ILogger logger, string username, string password);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo auctions.")]
    private static partial void LogSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo auction '{Title}' is invalid: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string title, string errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Seeding demo data failed; the host keeps running without it.")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}

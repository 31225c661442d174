using Microsoft.Extensions.Logging;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Increments;
using RemateLive.Ports;
using RemateLive.Sales;
using RemateLive.Sequencing;

namespace RemateLive.UseCases;

/// <summary>What an auctioneer submits to create a live sale.</summary>
/// <param name="Title">1–200 characters.</param>
/// <param name="Currency">ISO 4217 code (three upper-case letters).</param>
/// <param name="Increment">The strategy that suggests each next asking price.</param>
/// <param name="StartsAt">When the sale is planned to start (display only).</param>
/// <param name="Lots">The catalogue in calling order: 1–1,000 lots.</param>
/// <param name="CreatedBy">The auctioneer or admin.</param>
public sealed record CreateSaleCommand(string Title, string Currency, IncrementRule Increment, DateTimeOffset StartsAt, IReadOnlyList<NewLot> Lots, UserId CreatedBy);

/// <summary>A lot of a new sale's catalogue.</summary>
/// <param name="Title">1–200 characters.</param>
/// <param name="StartingPriceCents">The first asking price (positive).</param>
/// <param name="Description">Up to 10,000 characters.</param>
public sealed record NewLot(string Title, long StartingPriceCents, string? Description = null);

/// <summary>
/// The live-sale use cases. Every command — the auctioneer's, the clerk's floor bids, online and absentee
/// bids — goes through the sale's single writer, so they are decided in the order the writer received
/// them; answers come after the commit.
/// </summary>
public sealed class LiveSales : IAsyncDisposable
{
    /// <summary>The most lots one sale may hold.</summary>
    public const int MaxLots = 1_000;

    private readonly ISaleStore _store;
    private readonly BidIncrementStrategies _strategies;
    private readonly BiddingOptions _options;
    private readonly TimeProvider _time;
    private readonly SaleSequencer _sequencer;

    /// <summary>The use cases of one node over <paramref name="store"/>, with this node's sale writers delivering to <paramref name="feed"/>.</summary>
    public LiveSales(ISaleStore store, BidIncrementStrategies strategies, BiddingOptions options, TimeProvider time, SaleFeed feed, ILogger<LiveSales>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(feed);
        _store = store;
        _strategies = strategies;
        _options = options;
        _time = time;
        _sequencer = new SaleSequencer(store, strategies, feed, options, time, logger);
    }

    /// <summary>How many sales have a writer on this node now.</summary>
    public int ActiveWriters => _sequencer.ActiveWriters;

    /// <summary>Stops taking commands (answered <c>UNAVAILABLE</c>); batches in flight finish.</summary>
    public ValueTask DisposeAsync() => _sequencer.DisposeAsync();

    /// <summary>Validates and stores a new sale; the invalid fields (snake_case) otherwise.</summary>
    public async Task<(SaleState? Sale, IReadOnlyDictionary<string, string[]> Errors)> CreateAsync(CreateSaleCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.Title) || command.Title.Length > 200)
        {
            errors["title"] = ["title must have 1–200 characters."];
        }

        if (command.Currency is not { Length: 3 } c || !c.All(char.IsAsciiLetterUpper))
        {
            errors["currency"] = ["currency must be an ISO 4217 code such as USD."];
        }

        if (_strategies.Validate(command.Increment) is { } incrementError)
        {
            errors["increment"] = [incrementError];
        }

        if (command.Lots is not { Count: > 0 and <= MaxLots })
        {
            errors["lots"] = [$"A sale needs 1–{MaxLots} lots."];
        }
        else
        {
            for (var i = 0; i < command.Lots.Count; i++)
            {
                var lot = command.Lots[i];
                if (string.IsNullOrWhiteSpace(lot.Title) || lot.Title.Length > 200)
                {
                    errors[$"lots[{i}].title"] = ["title must have 1–200 characters."];
                }

                if (lot.StartingPriceCents <= 0 || lot.StartingPriceCents > _options.MaxAmountCents)
                {
                    errors[$"lots[{i}].starting_price_cents"] = [$"starting_price_cents must be between 1 and {_options.MaxAmountCents}."];
                }

                if (lot.Description is { Length: > 10_000 })
                {
                    errors[$"lots[{i}].description"] = ["description must have at most 10,000 characters."];
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var sale = new SaleState
        {
            Id = SaleId.New(),
            Title = command.Title.Trim(),
            Currency = command.Currency,
            Increment = command.Increment,
            StartsAt = command.StartsAt,
            Lots = [.. command.Lots.Select((l, i) => new LotState { Id = LotId.New(), Number = i + 1, Title = l.Title.Trim(), Description = l.Description, StartingPrice = Money.FromCents(l.StartingPriceCents) })],
            CreatedBy = command.CreatedBy,
            CreatedAt = _time.GetUtcNow(),
        };
        await _store.CreateSaleAsync(sale, cancellationToken);
        return (sale, errors);
    }

    /// <summary>The sale's latest state (callers show <see cref="SaleView"/>, never the state), or null.</summary>
    public Task<SaleState?> GetAsync(SaleId id, CancellationToken cancellationToken = default) => _store.GetSaleAsync(id, cancellationToken);

    /// <summary>Every sale.</summary>
    public Task<IReadOnlyList<SaleState>> ListAsync(CancellationToken cancellationToken = default) => _store.ListSalesAsync(cancellationToken);

    /// <summary>Public events after <paramref name="afterSeq"/>.</summary>
    public Task<IReadOnlyList<SaleEvent>> GetEventsAsync(SaleId id, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        _store.GetEventsAsync(id, afterSeq, limit, cancellationToken);

    /// <summary>A bid at the asking price, online or from the floor.</summary>
    public Task<SaleCommandResult> PlaceBidAsync(SaleId id, SaleBidRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TooLarge(request.Amount) ?? _sequencer.SubmitAsync(id, (sale, now) => sale.PlaceBid(request, now));
    }

    /// <summary>Leaves (or replaces) a secret maximum on a lot that has not opened.</summary>
    public Task<SaleCommandResult> PlaceAbsenteeBidAsync(SaleId id, LotId lot, UserId bidder, string bidderName, Money maxAmount) =>
        TooLarge(maxAmount) ?? _sequencer.SubmitAsync(id, (sale, now) => sale.PlaceAbsenteeBid(lot, bidder, bidderName, maxAmount, now));

    /// <summary>Offers a lot (the next pending one when <paramref name="lot"/> is null).</summary>
    public Task<SaleCommandResult> OpenLotAsync(SaleId id, LotId? lot = null) => _sequencer.SubmitAsync(id, (sale, now) => sale.OpenLot(lot, now));

    /// <summary>Sets the asking price of the lot on offer.</summary>
    public Task<SaleCommandResult> SetAskingPriceAsync(SaleId id, Money asking) =>
        TooLarge(asking) ?? _sequencer.SubmitAsync(id, (sale, now) => sale.SetAskingPrice(asking, now));

    /// <summary>Gives fair warning on the lot on offer.</summary>
    public Task<SaleCommandResult> FairWarningAsync(SaleId id) => _sequencer.SubmitAsync(id, (sale, now) => sale.FairWarning(now));

    /// <summary>The hammer: sells the lot on offer to its leading bid.</summary>
    public Task<SaleCommandResult> SellAsync(SaleId id) => _sequencer.SubmitAsync(id, (sale, now) => sale.Sell(now));

    /// <summary>Passes the lot on offer.</summary>
    public Task<SaleCommandResult> PassAsync(SaleId id) => _sequencer.SubmitAsync(id, (sale, now) => sale.Pass(now));

    /// <summary>Withdraws a lot.</summary>
    public Task<SaleCommandResult> WithdrawAsync(SaleId id, LotId lot) => _sequencer.SubmitAsync(id, (sale, now) => sale.Withdraw(lot, now));

    /// <summary>Pauses the sale.</summary>
    public Task<SaleCommandResult> PauseAsync(SaleId id) => _sequencer.SubmitAsync(id, (sale, now) => sale.Pause(now));

    /// <summary>Resumes the sale.</summary>
    public Task<SaleCommandResult> ResumeAsync(SaleId id) => _sequencer.SubmitAsync(id, (sale, now) => sale.Resume(now));

    private Task<SaleCommandResult>? TooLarge(Money amount) =>
        amount.Cents > _options.MaxAmountCents
            ? Task.FromResult(new SaleCommandResult(new DomainError(ErrorCodes.InvalidAmount, $"Amounts are limited to {_options.MaxAmountCents} cents."), null, []))
            : null;
}

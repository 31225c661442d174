using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.AspNetCore.Realtime;
using RemateLive.Domain;
using RemateLive.Feed;
using RemateLive.Sales;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Sales;

/// <summary>
/// <c>/hubs/sales</c>: the sale socket's semantics over SignalR. <c>JoinSale(sale_id, last_seq)</c> returns
/// the <c>auth_ok</c> envelope and then pushes every sale event (handlers named like the socket's types,
/// same payloads, in seq order); <c>Bid(sale_id, lot_id, amount_cents)</c> returns <c>bid_ok</c> or
/// <c>bid_error</c>; <c>Resume(sale_id, last_seq)</c> replays.
/// </summary>
internal sealed class SaleHub(
    LiveSales sales,
    SaleFeed feed,
    RemateIdentity identity,
    RemateRateLimits rateLimits,
    IHubContext<SaleHub> hubContext,
    IOptions<RemateLiveOptions> options,
    TimeProvider time) : Hub
{
    private static readonly object ConnectionKey = new();

    /// <summary>How many sales one hub connection may follow at once.</summary>
    private const int MaxSalesPerConnection = 8;

    public override Task OnConnectedAsync()
    {
        var connection = new SaleHubConnection(Context, hubContext, options.Value.Realtime.SendQueueCapacity);
        Context.Items[ConnectionKey] = connection;
        connection.Start();
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(ConnectionKey, out var value) && value is SaleHubConnection connection)
        {
            lock (connection.Sales)
            {
                foreach (var subscriber in connection.Sales.Values)
                {
                    subscriber.Dispose();
                }

                connection.Sales.Clear();
            }

            connection.Abort(AbortReason.Closed);
            await connection.Completion;
        }
    }

    // Pre-serialized with our JSON options, whatever the host's SignalR JSON settings are.
    public async Task<WireJsonValue> JoinSale(string saleId, long? lastSeq) =>
        WireJsonValue.Envelope(await JoinSaleCoreAsync(saleId, lastSeq));

    private async Task<ServerMessage> JoinSaleCoreAsync(string saleId, long? lastSeq)
    {
        var user = User();
        var connection = Connection();
        if (!SaleId.TryParse(saleId, out var id) || await sales.GetAsync(id, Context.ConnectionAborted) is not { } sale)
        {
            return ServerMessages.Error(ErrorCodes.NotFound, "No such sale.");
        }

        SaleSubscriber subscriber;
        lock (connection.Sales)
        {
            if (connection.Sales.ContainsKey(id))
            {
                return ServerMessages.Error(ErrorCodes.InvalidMessage, "Already following this sale.");
            }

            if (connection.Sales.Count >= MaxSalesPerConnection)
            {
                return ServerMessages.Error(ErrorCodes.RateLimited, $"A connection may follow at most {MaxSalesPerConnection} sales.");
            }

            subscriber = new SaleSubscriber(connection, id, sales, feed, () => connection.Abort(AbortReason.SlowReader));
            connection.Sales[id] = subscriber;
        }

        var answer = SaleMessages.AuthOk(user, sale, time.GetUtcNow());
        connection.Enqueue(answer); // queued first, so it precedes every event pushed to this caller
        await subscriber.StartAsync(sale.Seq, lastSeq is { } last ? Math.Clamp(last, 0, sale.Seq) : sale.Seq, Context.ConnectionAborted);
        return answer;
    }

    // Pre-serialized with our JSON options, whatever the host's SignalR JSON settings are.
    public async Task<WireJsonValue> Resume(string saleId, long lastSeq) =>
        WireJsonValue.Envelope(await ResumeCoreAsync(saleId, lastSeq));

    private async Task<ServerMessage> ResumeCoreAsync(string saleId, long lastSeq)
    {
        var connection = Connection();
        SaleSubscriber? subscriber = null;
        lock (connection.Sales)
        {
            if (SaleId.TryParse(saleId, out var id))
            {
                connection.Sales.TryGetValue(id, out subscriber);
            }
        }

        if (subscriber is null)
        {
            return ServerMessages.Error(ErrorCodes.InvalidMessage, "Join the sale first.");
        }

        if (!connection.TryStartReplay(options.Value.Realtime.ReplayBurst, options.Value.Realtime.ReplaysPerSecond, time))
        {
            return ServerMessages.Error(ErrorCodes.RateLimited, "Too many replays on this connection; slow down.");
        }

        await subscriber.ReplayAsync(lastSeq, Context.ConnectionAborted);
        return new ServerMessage("resumed", new { sale_id = saleId, last_seq = lastSeq });
    }

    // Pre-serialized with our JSON options, whatever the host's SignalR JSON settings are.
    public async Task<WireJsonValue> Bid(string saleId, string lotId, long amountCents) =>
        WireJsonValue.Envelope(await BidCoreAsync(saleId, lotId, amountCents));

    private async Task<ServerMessage> BidCoreAsync(string saleId, string lotId, long amountCents)
    {
        var user = User();
        if (!SaleId.TryParse(saleId, out var id) || !LotId.TryParse(lotId, out var lot) || amountCents <= 0)
        {
            return SaleMessages.BidError(new DomainError(ErrorCodes.ValidationFailed, "sale_id, lot_id and a positive amount_cents are required."), null);
        }

        var limit = await rateLimits.ForBidAsync(user.Id, Context.ConnectionAborted);
        if (!limit.Allowed)
        {
            return SaleMessages.BidError(new DomainError(ErrorCodes.RateLimited, "Too many bids; slow down."), null);
        }

        var result = await sales.PlaceBidAsync(id, SaleBidRequest.Online(lot, Money.FromCents(amountCents), user.Id, user.DisplayName));
        if (result.Error is { } error)
        {
            return SaleMessages.BidError(error, result.State);
        }

        var own = result.Events.OfType<SaleBidPlaced>().First();
        return SaleMessages.BidOk(lot, own.Paddle, own.Seq);
    }

    private RemateUser User() =>
        identity.FromPrincipal(Context.User) ?? throw new HubException($"{ErrorCodes.NotAuthenticated}: sign in first.");

    private SaleHubConnection Connection() => (SaleHubConnection)Context.Items[ConnectionKey]!;

    /// <summary>A SignalR client of the sale hub: one ordered, bounded send queue, like the auction hub's.</summary>
    private sealed class SaleHubConnection(HubCallerContext context, IHubContext<SaleHub> hub, int capacity)
        : RealtimeConnection(context.ConnectionId, "signalr", capacity)
    {
        private Task? _writer;

        public Dictionary<SaleId, SaleSubscriber> Sales { get; } = [];

        public Task Completion => _writer ?? Task.CompletedTask;

        public void Start() => _writer = RunWriterAsync(context.ConnectionAborted);

        protected override async ValueTask SendAsync(ServerMessage message, CancellationToken cancellationToken) =>
            await hub.Clients.Client(Id).SendAsync(message.Type, WireJsonValue.Payload(message), cancellationToken);

        protected override void OnAbort(AbortReason reason)
        {
            if (reason != AbortReason.Closed)
            {
                context.Abort();
            }
        }
    }
}

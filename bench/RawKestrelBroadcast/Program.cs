// Raw Kestrel WebSocket broadcast: the transport baseline measured by samples/RemateLive.LoadTest with the same N.
// Same wire shape as /ws/auctions/{id}: auth → auth_ok (fake auction), bid → bid_placed with the next seq to everyone
// (idempotency_key echoed to the bidder only) via Task.WhenAll(SendAsync), or bid_error BID_TOO_LOW.
// One gate serialises seq assignment + broadcast, so every socket has a single writer and sees seqs in order.
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
int maxConnections = builder.Configuration.GetValue("MaxConnections", 19_000); // ulimit -n is 20,000 per process
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxConcurrentConnections = maxConnections;
    k.Limits.MaxConcurrentUpgradedConnections = maxConnections;
});
var app = builder.Build();
app.UseWebSockets();

var gate = new SemaphoreSlim(1, 1);
var sockets = new List<WebSocket>();
long seq = 0, price = 0, minNext = 1000;

app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.Map("/ws/auctions/{id}", async (HttpContext ctx, string id) =>
{
    if (!ctx.WebSockets.IsWebSocketRequest)
    {
        return Results.BadRequest();
    }
    using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[4096];
    string? name = null;
    try
    {
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, ctx.RequestAborted);
            if (r.MessageType == WebSocketMessageType.Close || !r.EndOfMessage)
            {
                break; // small frames only (the real host closes 1009 on oversize)
            }
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, r.Count));
            string? type = doc.RootElement.GetProperty("type").GetString();
            var payload = doc.RootElement.TryGetProperty("payload", out var p) ? p : default;
            await gate.WaitAsync();
            try
            {
                if (type == "auth" && name is null)
                {
                    name = payload.GetProperty("display_name").GetString() ?? "?";
                    string auction = $$$"""{"id":"{{{id}}}","title":"baseline","status":"open","currency":"USD","current_price_cents":{{{price}}},"min_next_bid_cents":{{{minNext}}},"bid_count":{{{seq}}},"version":{{{seq}}}}""";
                    await Send(ws, $$$"""{"type":"auth_ok","payload":{"user_id":"{{{Guid.NewGuid()}}}","token":"t","auction":{{{auction}}},"recent_bids":[],"online_count":{{{sockets.Count + 1}}},"server_time":"{{{Now()}}}"}}""");
                    sockets.Add(ws); // registered under the gate: no broadcast can slip between auth_ok's version and here
                }
                else if (type == "bid" && name is not null)
                {
                    long amount = payload.GetProperty("amount_cents").GetInt64();
                    string key = payload.TryGetProperty("idempotency_key", out var k) ? k.GetString() ?? "" : "";
                    if (amount < minNext)
                    {
                        await Send(ws, $$$"""{"type":"bid_error","payload":{"error":"too low","code":"BID_TOO_LOW","idempotency_key":"{{{key}}}","current_price_cents":{{{price}}},"min_next_bid_cents":{{{minNext}}},"version":{{{seq}}}}}""");
                        continue;
                    }
                    seq++;
                    price = amount;
                    minNext = amount + 100;
                    string body = $$$"""
                        "bid_id":"{{{Guid.NewGuid()}}}","bidder_name":"{{{name}}}","amount_cents":{{{amount}}},"new_version":{{{seq}}},"seq":{{{seq}}},"placed_at":"{{{Now()}}}","min_next_bid_cents":{{{minNext}}},"bid_count":{{{seq}}},"kind":"manual"
                        """;
                    var all = Encoding.UTF8.GetBytes($$$"""{"type":"bid_placed","payload":{{{{body}}}}}""");
                    var own = Encoding.UTF8.GetBytes($$$"""{"type":"bid_placed","payload":{{{{body}}},"idempotency_key":"{{{key}}}"}}""");
                    await Task.WhenAll(sockets.Select(s => SendBytes(s, s == ws ? own : all)));
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
    {
    }
    await gate.WaitAsync();
    sockets.Remove(ws);
    gate.Release();
    return Results.Empty;
});
app.Run();

static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
static Task Send(WebSocket ws, string text) => SendBytes(ws, Encoding.UTF8.GetBytes(text));
static async Task SendBytes(WebSocket ws, byte[] bytes)
{
    try
    {
        await ws.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
    }
    catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
    {
    }
}

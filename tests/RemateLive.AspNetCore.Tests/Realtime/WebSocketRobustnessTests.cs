using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RemateLive.Domain;
using RemateLive.UseCases;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>Bad input, timeouts, heartbeat, slow and vanishing clients: each gets a clear answer and the node keeps serving.</summary>
public sealed class WebSocketRobustnessTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync(o =>
    {
        o.Realtime.SendQueueCapacity = 256;
        o.Realtime.PingInterval = TimeSpan.FromSeconds(30);
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("{not json", "INVALID_MESSAGE")]
    [InlineData("[1,2,3]", "INVALID_MESSAGE")]
    [InlineData("{\"payload\":{}}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":42}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"dance\"}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"bid\"}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"bid\",\"payload\":{}}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"bid\",\"payload\":{\"amount_cents\":\"1000\"}}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"bid\",\"payload\":{\"amount_cents\":2000,\"version\":\"x\"}}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"bid\",\"payload\":[]}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"resume\",\"payload\":{\"last_seq\":-1}}", "INVALID_MESSAGE")]
    [InlineData("{\"type\":\"auth\",\"payload\":{\"username\":\"x\"}}", "INVALID_MESSAGE")]
    public async Task Malformed_messages_get_error_and_the_connection_keeps_serving(string text, string code)
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        await using var alice = await _host.JoinAsync(auctionId, "alice");

        await alice.SendRawAsync(text);
        var error = await alice.NextNonPingAsync();
        Assert.Equal("error", error.Type());
        Assert.Equal(code, error.Str("code"));
        Assert.False(string.IsNullOrEmpty(error.Str("error")));

        await alice.BidAsync(1_000);
        Assert.Equal(1, (await alice.NextAsync("bid_placed")).Seq());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-500")]
    [InlineData("12.5")]
    [InlineData("1e300")]
    [InlineData("99999999999999999999999")]
    [InlineData("10000000000001")]
    public async Task Bad_amounts_get_bid_error_invalid_amount_and_nothing_is_stored(string amount)
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 1_000);
        await using var alice = await _host.JoinAsync(auctionId, "alice");

        await alice.SendRawAsync($"{{\"type\":\"bid\",\"payload\":{{\"amount_cents\":{amount},\"idempotency_key\":\"bad\"}}}}");
        var error = await alice.NextNonPingAsync();
        Assert.Equal("bid_error", error.Type());
        Assert.Equal("INVALID_AMOUNT", error.Str("code"));
        Assert.Equal("bad", error.Str("idempotency_key"));

        var view = await _host.Services.GetRequiredService<AuctionQueries>().GetAuctionAsync(auctionId);
        Assert.Equal(0, view!.Version);
        await alice.BidAsync(1_000);
        Assert.Equal(1, (await alice.NextAsync("bid_placed")).Seq());
    }

    [Fact]
    public async Task Bids_and_resume_before_auth_are_refused_then_auth_still_works()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var socket = await _host.ConnectAsync(auctionId);
        await socket.BidAsync(5_000, idempotencyKey: "early");
        var bidError = await socket.NextNonPingAsync();
        Assert.Equal("bid_error", bidError.Type());
        Assert.Equal("NOT_AUTHENTICATED", bidError.Str("code"));
        Assert.Equal("early", bidError.Str("idempotency_key"));

        await socket.SendAsync(new { type = "resume", payload = new { last_seq = 0 } });
        Assert.Equal("NOT_AUTHENTICATED", (await socket.NextAsync("error")).Str("code"));

        await socket.SendAsync(new { type = "auth", payload = new { username = "late", display_name = "Late" } });
        await socket.NextAsync("auth_ok");
        await socket.SendAsync(new { type = "auth", payload = new { username = "late", display_name = "Late" } });
        Assert.Equal("INVALID_MESSAGE", (await socket.NextAsync("error")).Str("code"));
    }

    [Fact]
    public async Task No_auth_within_the_timeout_closes_with_1008()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var socket = await _host.ConnectAsync(auctionId);
        await socket.SendAsync(new { type = "pong" });
        await socket.SendAsync(new { type = "resume", payload = new { last_seq = 0 } });
        await socket.NextAsync("error"); // the session (and its timers) is running

        _host.Time.Advance(TimeSpan.FromSeconds(9));
        await socket.SendAsync(new { type = "resume", payload = new { last_seq = 0 } });
        await socket.NextAsync("error"); // still open after 9 s
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_with_1009_and_the_node_keeps_serving()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var big = await _host.JoinAsync(auctionId, "big");
        var huge = $"{{\"type\":\"auth\",\"payload\":{{\"username\":\"{new string('x', 5_000)}\"}}}}";
        await big.SendRawAsync(huge);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await big.ReceiveCloseAsync());

        await using var next = await _host.JoinAsync(auctionId, "next");
        await next.BidAsync(1_000);
        Assert.Equal(1, (await next.NextAsync("bid_placed")).Seq());
    }

    [Fact]
    public async Task Ping_every_interval_pong_keeps_alive_and_a_silent_connection_is_reaped_as_user_left()
    {
        var auctionId = await _host.CreateAuctionAsync();
        await using var lively = await _host.JoinAsync(auctionId, "lively");
        await using var silent = await _host.JoinAsync(auctionId, "silent");
        await lively.NextAsync("user_joined");

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("2026-11-28T12:00:30.000Z", (await lively.NextAsync("ping")).Str("server_time"));
        await silent.NextAsync("ping");
        await lively.SendAsync(new { type = "pong" });
        await lively.BidAsync(1_000); // a round trip proves the pong was read before time moves on
        await lively.NextAsync("bid_placed");

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await silent.ReceiveCloseAsync());
        var left = await lively.NextAsync("user_left");
        Assert.Equal("silent", left.Str("username"));
        Assert.Equal(1, left.Num("online_count"));
        Assert.Contains(lively.Received, m => m.Type() == "ping" && m.Str("server_time") == "2026-11-28T12:01:00.000Z");
    }

    [Fact]
    public async Task A_client_that_never_reads_is_dropped_while_others_keep_receiving_every_event()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 100, incrementCents: 1);
        await using var fast = await _host.JoinAsync(auctionId, "fast");
        using var slow = await NeverReadingClient.ConnectAsync(_host.SocketUri(auctionId), "slow");
        Assert.Equal("slow", (await fast.NextAsync("user_joined")).Str("username"));

        var placeBid = _host.Services.GetRequiredService<PlaceBid>();
        var bidder = UserId.New();
        var bulkyName = new string('r', 4_000); // big messages fill the kernel's socket buffers sooner
        var received = 0L;
        var dropped = false;
        for (var i = 0; i < 3_000 && !dropped; i++)
        {
            var outcome = await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidder, bulkyName, 100 + i));
            Assert.True(outcome.Accepted);
            while (received < outcome.Placed!.Seq)
            {
                var message = await fast.NextNonPingAsync();
                if (message.Type() == "user_left")
                {
                    Assert.Equal("slow", message.Str("username"));
                    dropped = true;
                }
                else
                {
                    Assert.Equal(received + 1, message.Seq()); // in order, none missing
                    received = message.Seq();
                }
            }
        }

        if (!dropped)
        {
            Assert.Equal("slow", (await fast.NextAsync("user_left")).Str("username"));
        }

        var after = await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidder, "Robot", 1_000_000));
        Assert.Equal(after.Placed!.Seq, (await fast.NextAsync("bid_placed")).Seq());
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_send_breaks_nothing()
    {
        var auctionId = await _host.CreateAuctionAsync(startingPriceCents: 100, incrementCents: 1);
        await using var watcher = await _host.JoinAsync(auctionId, "watcher");
        var quitters = new List<TestSocket>();
        for (var i = 0; i < 5; i++)
        {
            quitters.Add(await _host.JoinAsync(auctionId, $"quitter{i}"));
        }

        var seqs = new List<long>();
        var reading = Task.Run(async () =>
        {
            while (seqs.Count < 200)
            {
                var m = await watcher.NextNonPingAsync();
                if (m.Type() == "bid_placed")
                {
                    seqs.Add(m.Seq());
                }
            }
        });
        var placeBid = _host.Services.GetRequiredService<PlaceBid>();
        var bidder = UserId.New();
        var bids = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.True((await placeBid.ExecuteAsync(new PlaceBidCommand(auctionId, bidder, "Robot", 100 + i))).Accepted);
            }
        });
        foreach (var q in quitters)
        {
            q.Socket.Abort();
            q.Socket.Dispose();
        }

        await bids;
        await reading;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
        await using var fresh = await _host.JoinAsync(auctionId, "fresh");
        Assert.Equal(200, fresh.AuthOk.Payload().GetProperty("auction").GetProperty("version").GetInt64());
    }

    /// <summary>A raw TCP WebSocket client with a tiny receive buffer that authenticates and then never reads.</summary>
    private sealed class NeverReadingClient : IDisposable
    {
        private readonly Socket _socket;

        private NeverReadingClient(Socket socket) => _socket = socket;

        public static async Task<NeverReadingClient> ConnectAsync(Uri uri, string username)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
            await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            var response = new byte[1024];
            var n = await socket.ReceiveAsync(response);
            Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(response, 0, n));
            await socket.SendAsync(MaskedTextFrame($"{{\"type\":\"auth\",\"payload\":{{\"username\":\"{username}\",\"display_name\":\"{username}\"}}}}"));
            return new NeverReadingClient(socket);
        }

        public void Dispose() => _socket.Dispose();

        private static byte[] MaskedTextFrame(string text)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            Assert.True(payload.Length < 126);
            var mask = RandomNumberGenerator.GetBytes(4);
            var frame = new byte[2 + 4 + payload.Length];
            frame[0] = 0x81;
            frame[1] = (byte)(0x80 | payload.Length);
            mask.CopyTo(frame, 2);
            for (var i = 0; i < payload.Length; i++)
            {
                frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
            }

            return frame;
        }
    }
}

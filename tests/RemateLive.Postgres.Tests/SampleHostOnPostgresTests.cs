using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace RemateLive.Postgres.Tests;

/// <summary>
/// The sample host on PostgreSQL (one setting: <c>RemateLive:Postgres:ConnectionString</c>) through the
/// native WebSocket protocol: the schema is applied at start-up, a bid acknowledged on the socket is in
/// the database, survives a restart of the host, and <c>/health</c> reports PostgreSQL.
/// </summary>
public sealed class SampleHostOnPostgresTests : IAsyncLifetime
{
    private readonly string _database = TestDatabase.NewSchemaName();
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        await using var admin = await TestDatabase.OpenAsync(maxPoolSize: 2);
        await using var connection = await admin.OpenConnectionAsync();
        await connection.ExecuteAsync($"CREATE DATABASE \"{_database}\"");
        _connectionString = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = _database }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await TestDatabase.OpenAsync(maxPoolSize: 2);
        await using var connection = await admin.OpenConnectionAsync();
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    [Fact]
    public async Task ABidOverTheWebSocketIsStoredInPostgresAndSurvivesAHostRestart()
    {
        string auctionId, bidId;
        long seq;
        await using (var host = StartHost())
        {
            var client = host.CreateClient();
            var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
            var healthBody = await health.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("postgres", healthBody, StringComparison.Ordinal);

            var auctions = JsonNode.Parse(await client.GetStringAsync(new Uri("/api/auctions?status=open", UriKind.Relative)))!.AsArray();
            Assert.NotEmpty(auctions); // the demo auctions were seeded into PostgreSQL
            auctionId = auctions[0]!["id"]!.GetValue<string>();

            using var socket = await host.Server.CreateWebSocketClient().ConnectAsync(new Uri(host.Server.BaseAddress, $"ws/auctions/{auctionId}"), CancellationToken.None);
            await SendAsync(socket, new { type = "auth", payload = new { username = "pg_" + Guid.NewGuid().ToString("N")[..8], display_name = "Pat" } });
            var authOk = await ReceiveAsync(socket, m => m["type"]!.GetValue<string>() is "auth_ok" or "auth_error");
            Assert.Equal("auth_ok", authOk["type"]!.GetValue<string>());
            var minimum = authOk["payload"]!["auction"]!["min_next_bid_cents"]!.GetValue<long>();

            await SendAsync(socket, new { type = "bid", payload = new { amount_cents = minimum, idempotency_key = "pg-sample-1" } });
            var answer = await ReceiveAsync(socket, m =>
                m["type"]!.GetValue<string>() == "bid_error" ||
                (m["type"]!.GetValue<string>() == "bid_placed" && m["payload"]!["idempotency_key"]?.GetValue<string>() == "pg-sample-1"));
            Assert.Equal("bid_placed", answer["type"]!.GetValue<string>());
            bidId = answer["payload"]!["bid_id"]!.GetValue<string>();
            seq = answer["payload"]!["seq"]!.GetValue<long>();
            Assert.Equal(minimum, answer["payload"]!["amount_cents"]!.GetValue<long>());
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }

        // The acknowledged bid is in PostgreSQL (the sample's default schema "remate"), exactly once.
        await using (var dataSource = await TestDatabase.OpenAsync(maxPoolSize: 2, _connectionString))
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(seq, await connection.ExecuteScalarAsync<long>("SELECT seq FROM remate.bids WHERE id = @id::uuid", new { id = bidId }));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM remate.events WHERE payload->'bid'->>'id' = @id", new { id = bidId }));
        }

        // A new host on the same database serves it.
        await using (var host = StartHost())
        {
            var bids = JsonNode.Parse(await host.CreateClient().GetStringAsync(new Uri($"/api/auctions/{auctionId}/bids", UriKind.Relative)))!.AsArray();
            Assert.Contains(bids, b => b!["bid_id"]!.GetValue<string>() == bidId && b["seq"]!.GetValue<long>() == seq);
        }
    }

    private WebApplicationFactory<Program> StartHost() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("RemateLive:Postgres:ConnectionString", _connectionString);
            b.UseSetting("RemateLive:Admin:Password", "pg-tests-admin-password");
        });

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonNode> ReceiveAsync(WebSocket socket, Func<JsonNode, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            var node = JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
            if (wanted(node))
            {
                return node;
            }
        }
    }
}

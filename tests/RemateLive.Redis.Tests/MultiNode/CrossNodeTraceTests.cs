using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using RemateLive.Diagnostics;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>
/// A bid on node A reaches a watcher on node B through Redis, and B's fan-out span belongs to the trace
/// that started at A's receive. The two nodes run in this process (so one listener sees both) but share
/// only what replicas share: one PostgreSQL database and one Redis key prefix; each has its own Kestrel
/// port, container, writers, feed and rooms.
/// </summary>
public sealed class CrossNodeTraceTests : IAsyncLifetime
{
    private const string AdminPassword = "trace-admin-pw";
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private readonly List<WebApplication> _nodes = [];

    public CrossNodeTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RemateLiveDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("REMATE_TEST_POSTGRES") is { Length: > 0 } pg
            ? pg
            : throw new InvalidOperationException("REMATE_TEST_POSTGRES is not set: run the tests through scripts/test-env.sh (it starts a throwaway PostgreSQL).");
        var database = $"remate_trace_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        var prefix = TestRedis.NewPrefix("trace");
        _nodes.Add(await StartNodeAsync(connectionString, prefix)); // applies the schema first
        _nodes.Add(await StartNodeAsync(connectionString, prefix));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }

        _listener.Dispose();
    }

    [Fact]
    public async Task The_remote_fan_out_span_carries_the_trace_of_the_bid_received_on_the_other_node()
    {
        using var a = new Api(Address(_nodes[0]));
        var adminToken = await a.LoginAsync("admin", AdminPassword);
        var auctionId = await a.CreateAuctionAsync(adminToken, DateTimeOffset.UtcNow.AddHours(1));
        var bidderToken = await a.LoginAsync("alice");
        using var b = new Api(Address(_nodes[1]));
        await using var watcher = await SocketClient.JoinAsync(Address(_nodes[1]), auctionId, "bob", await b.LoginAsync("bob"));

        Assert.Equal(HttpStatusCode.Created, await a.BidAsync(bidderToken, auctionId, 1_000));
        await watcher.WaitForAsync("bid_placed");

        // Only B has a room for this auction (nobody watches it on A), so its fan-out is B's.
        var receive = await SpanAsync(s => s.OperationName == "remate_live.receive" && (string?)s.GetTagItem("remate_live.auction.id") == auctionId, "A's receive");
        var fanOut = await SpanAsync(s => s.OperationName == "remate_live.fan_out" && (string?)s.GetTagItem("remate_live.auction.id") == auctionId, "B's fan-out");
        Assert.Equal(receive.TraceId, fanOut.TraceId);

        var busReceive = await SpanAsync(s => s.OperationName == "remate_live.bus.receive" && s.SpanId == fanOut.ParentSpanId, "B's bus receive (the fan-out's parent)");
        Assert.Equal(ActivityKind.Consumer, busReceive.Kind);
        var publish = await SpanAsync(s => s.OperationName == "remate_live.publish" && s.SpanId == busReceive.ParentSpanId, "A's publish (the bus receive's parent)");
        Assert.Equal(receive.TraceId, publish.TraceId);
        Assert.True(busReceive.HasRemoteParent);
    }

    private async Task<Activity> SpanAsync(Func<Activity, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"No span: {what}. Seen: {string.Join(", ", _spans.Select(s => s.OperationName).Distinct())}");
    }

    private static Uri Address(WebApplication node) =>
        new(node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<WebApplication> StartNodeAsync(string connectionString, string prefix)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["RemateLive:Admin:Password"] = AdminPassword;
        builder.Configuration["RemateLive:Bidding:GapCheckInterval"] = "00:01:00"; // B learns of the bid from the bus, not the store
        builder.Services.AddRemateLive()
            .UsePostgres(connectionString)
            .ApplyMigrationsOnStartup()
            .UseRedis(TestRedis.Configuration, o => o.KeyPrefix = prefix);
        var app = builder.Build();
        app.MapRemateLive();
        await app.StartAsync();
        return app;
    }
}

using Npgsql;

namespace RemateLive.Redis.Tests.MultiNode;

/// <summary>
/// Two real sample hosts sharing one PostgreSQL database (its own) and one Redis (its own key prefix),
/// like two replicas behind a load balancer.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    public const string AdminPassword = "cluster-admin-pw";
    private readonly List<SampleHost> _nodes = [];

    private Cluster(Dictionary<string, string> settings) => Settings = settings;

    public Dictionary<string, string> Settings { get; }

    public SampleHost A => _nodes[0];

    public SampleHost B => _nodes[1];

    public static async Task<Cluster> StartAsync(string redisConfiguration, IReadOnlyDictionary<string, string>? extra = null)
    {
        var postgres = Environment.GetEnvironmentVariable("REMATE_TEST_POSTGRES") is { Length: > 0 } pg
            ? pg
            : throw new InvalidOperationException("REMATE_TEST_POSTGRES is not set: run the tests through scripts/test-env.sh (it starts a throwaway PostgreSQL).");
        var database = $"remate_cluster_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var settings = new Dictionary<string, string>
        {
            ["RemateLive__Postgres__ConnectionString"] = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString,
            ["RemateLive__Redis__Configuration"] = redisConfiguration,
            ["RemateLive__Redis__KeyPrefix"] = TestRedis.NewPrefix("cluster"),
            ["RemateLive__Admin__Password"] = AdminPassword,
            ["RemateLive__SeedDemoData"] = "false",
            // Long on purpose: cross-node delivery within the tests' timeouts proves the Redis bus, not the store poll.
            ["RemateLive__Bidding__GapCheckInterval"] = "00:01:00",
            ["RemateLive__RateLimits__BidBurst"] = "5",
            ["RemateLive__RateLimits__BidsPerSecond"] = "0.01",
            ["RemateLive__RateLimits__ConnectionBurst"] = "100000",
            ["RemateLive__RateLimits__ConnectionsPerSecond"] = "100000",
            ["RemateLive__RateLimits__PasswordCheckBurst"] = "1000",
            ["RemateLive__RateLimits__UsernamePasswordCheckBurst"] = "1000",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            settings[k] = v;
        }

        var cluster = new Cluster(settings);
        try
        {
            cluster._nodes.Add(await SampleHost.StartAsync("A", settings)); // applies the schema first
            cluster._nodes.Add(await SampleHost.StartAsync("B", settings));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    public string Logs() => string.Join("\n", _nodes.Select(n => $"--- node {n.Name} ---\n{n.Output}"));
}

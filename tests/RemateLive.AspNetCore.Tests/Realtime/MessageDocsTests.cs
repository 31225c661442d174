using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using RemateLive.AspNetCore.Realtime;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>
/// docs/protocol.md's examples are checked against the server: every client message line must parse as
/// accepted input, every server message line must have exactly the fields the server sends.
/// </summary>
public sealed class MessageDocsTests : IAsyncLifetime
{
    private static readonly HashSet<string> ClientTypes = ["auth", "bid", "ping", "pong", "raise_max", "resume"];
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_json_example_in_protocol_md_matches_what_the_server_accepts_or_sends()
    {
        var examples = JsonExamples(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "protocol.md")));
        var catalog = await MessageCatalog.CollectAsync(_host);
        var documented = new HashSet<string>();
        foreach (var example in examples)
        {
            var type = example.GetProperty("type").GetString()!;
            // ping and pong go both ways: the server's carry server_time.
            var fromServer = example.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("server_time", out _);
            if (ClientTypes.Contains(type) && !fromServer)
            {
                var parsed = ClientMessages.Parse(Encoding.UTF8.GetBytes(example.GetRawText()));
                Assert.False(parsed is RejectedMessage, $"The server rejects the documented {example.GetRawText()}: {(parsed as RejectedMessage)?.Error}");
                documented.Add(type + " (client)");
                continue;
            }

            var key = type is "bid_placed" or "max_raised" && example.GetProperty("payload").TryGetProperty("idempotency_key", out _) ? type + " (bidder)"
                : type == "pong" ? "pong (server)" : type;
            Assert.True(catalog.TryGetValue(key, out var real), $"docs/protocol.md documents an unknown message type \"{type}\".");
            AssertSameFields(real.GetProperty("payload"), example.GetProperty("payload"), type);
            documented.Add(key);
        }

        Assert.Equal(catalog.Keys.Concat(ClientTypes.Select(t => t + " (client)")).Order(), documented.Order());
    }

    /// <summary>The documented payload has exactly the real one's fields, recursively (shared with the sale docs test).</summary>
    internal static void AssertSameFields(JsonElement real, JsonElement documented, string path)
    {
        Assert.True(
            real.EnumerateObject().Select(p => p.Name).Order().SequenceEqual(documented.EnumerateObject().Select(p => p.Name).Order()),
            $"{path}: the server sends [{string.Join(", ", real.EnumerateObject().Select(p => p.Name))}] but the docs show [{string.Join(", ", documented.EnumerateObject().Select(p => p.Name))}].");
        foreach (var property in real.EnumerateObject())
        {
            var doc = documented.GetProperty(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Object && doc.ValueKind == JsonValueKind.Object)
            {
                AssertSameFields(property.Value, doc, $"{path}.{property.Name}");
            }
            else if (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0 && doc.ValueKind == JsonValueKind.Array && doc.GetArrayLength() > 0)
            {
                AssertSameFields(property.Value[0], doc[0], $"{path}.{property.Name}[0]");
            }
        }
    }

    private static List<JsonElement> JsonExamples(string markdown)
    {
        var examples = new List<JsonElement>();
        var inJson = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inJson = !inJson && line.Trim() == "```json";
                continue;
            }

            if (inJson && line.Trim().Length > 0)
            {
                examples.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        Assert.NotEmpty(examples);
        return examples;
    }

    internal static string RepoRoot([CallerFilePath] string thisFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RemateLive.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("RemateLive.sln not found above " + thisFile);
    }
}

using System.Text;
using System.Text.Json;
using RemateLive.AspNetCore.Sales;
using RemateLive.AspNetCore.Tests.Realtime;

namespace RemateLive.AspNetCore.Tests.Sales;

/// <summary>docs/protocol.md's live-sale examples (<c>jsonc</c> fences) against the snapshots of what the server sends, and its parser.</summary>
public sealed class SaleDocsTests
{
    private static readonly HashSet<string> ClientTypes = ["auth", "bid", "pong", "resume"];
    private static readonly HashSet<string> ClientFields = ["token", "last_seq", "lot_id", "amount_cents"];

    [Fact]
    public void Every_sale_example_in_protocol_md_has_exactly_the_fields_the_server_sends_or_parses()
    {
        var root = MessageDocsTests.RepoRoot();
        var snapshots = Directory.GetFiles(Path.Combine(root, "tests", "RemateLive.AspNetCore.Tests", "Sales", "__snapshots__"), "*.snap")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone())
            .ToDictionary(e => e.GetProperty("type").GetString()!);
        var documented = new HashSet<string>();
        var inBlock = false;
        foreach (var line in File.ReadAllText(Path.Combine(root, "docs", "protocol.md")).Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && line.Trim() == "```jsonc";
                continue;
            }

            if (!inBlock || line.Trim().Length == 0)
            {
                continue;
            }

            var example = JsonDocument.Parse(line).RootElement;
            var type = example.GetProperty("type").GetString()!;
            documented.Add(type);
            if (ClientTypes.Contains(type))
            {
                Assert.Equal(type, SaleClientMessage.Parse(Encoding.UTF8.GetBytes(line)).Type);
                // The parser ignores unknown fields, so a misspelt one (e.g. "lot" for "lot_id") must be caught here.
                var body = example.TryGetProperty("payload", out var payload) ? payload : example;
                foreach (var field in body.EnumerateObject().Select(p => p.Name).Where(n => n != "type"))
                {
                    Assert.Contains(field, ClientFields);
                }

                continue;
            }

            Assert.True(snapshots.TryGetValue(type, out var real), $"docs/protocol.md documents an unknown sale message \"{type}\".");
            MessageDocsTests.AssertSameFields(real.GetProperty("payload"), example.GetProperty("payload"), type);
        }

        Assert.Equal(snapshots.Keys.Concat(ClientTypes).Order(), documented.Order());
    }
}

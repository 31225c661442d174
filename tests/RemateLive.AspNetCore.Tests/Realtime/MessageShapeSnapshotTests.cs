using Snapshooter;
using Snapshooter.Xunit;

namespace RemateLive.AspNetCore.Tests.Realtime;

/// <summary>
/// Every server → client message, as produced over a real socket, against a committed snapshot (ids and
/// times normalised): a change to the wire contract shows up as a failing test and a .snap diff.
/// </summary>
public sealed class MessageShapeSnapshotTests : IAsyncLifetime
{
    private RealtimeTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RealtimeTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_server_message_keeps_its_shape()
    {
        var catalog = await MessageCatalog.CollectAsync(_host);
        string[] expected =
        [
            "auth_ok", "auth_error", "bid_placed", "bid_placed (bidder)", "bid_error", "outbid", "auction_extended",
            "user_joined", "user_left", "auction_closed", "auction_cancelled", "error", "ping", "pong (server)",
            "max_raised", "max_raised (bidder)",
        ];
        Assert.Equal(expected.Order(), catalog.Keys.Order());
        foreach (var (name, message) in catalog)
        {
            Snapshot.Match(MessageCatalog.Normalize(message), new SnapshotNameExtension(name.Replace(" (bidder)", "_to_bidder", StringComparison.Ordinal).Replace(" (server)", "", StringComparison.Ordinal)));
        }
    }
}

using RemateLive.Domain;
using RemateLive.Ports;
using Xunit;

namespace RemateLive.Testing;

/// <summary>
/// The contract every <see cref="IPresenceTracker"/> must honour: users (not connections) are counted,
/// <see cref="PresenceChange.UserChanged"/> marks a user's first join and last leave, and rooms are
/// independent. Implement <see cref="CreateTrackerAsync"/>; tests use fresh auction ids.
/// </summary>
public abstract class PresenceTrackerComplianceTests : IAsyncLifetime
{
    private IPresenceTracker? _tracker;

    /// <summary>The tracker under test (created by <see cref="InitializeAsync"/>).</summary>
    protected IPresenceTracker Tracker => _tracker ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Creates the tracker under test.</summary>
    protected abstract Task<IPresenceTracker> CreateTrackerAsync();

    /// <summary>Creates the tracker; override to add per-test set-up (call the base).</summary>
    public virtual async Task InitializeAsync() => _tracker = await CreateTrackerAsync();

    /// <summary>Disposes the tracker when it is disposable.</summary>
    public virtual async Task DisposeAsync()
    {
        await Subjects.DisposeAsync(_tracker);
    }

    /// <summary>A user with several tabs counts once; UserChanged marks the first join and the last leave.</summary>
    [Fact]
    public async Task UsersAreCountedOnceAcrossTabs()
    {
        var room = AuctionId.New();

        Assert.Equal(new PresenceChange(true, 1), await Tracker.JoinAsync(room, "ana", "c1"));
        Assert.Equal(new PresenceChange(false, 1), await Tracker.JoinAsync(room, "ana", "c2"));
        Assert.Equal(new PresenceChange(true, 2), await Tracker.JoinAsync(room, "ben", "c3"));
        Assert.Equal(2, await Tracker.CountAsync(room));

        Assert.Equal(new PresenceChange(false, 2), await Tracker.LeaveAsync(room, "ana", "c1"));
        Assert.Equal(new PresenceChange(true, 1), await Tracker.LeaveAsync(room, "ana", "c2"));
        Assert.Equal(1, await Tracker.CountAsync(room));
        Assert.Equal(new PresenceChange(true, 0), await Tracker.LeaveAsync(room, "ben", "c3"));
        Assert.Equal(0, await Tracker.CountAsync(room));
    }

    /// <summary>Leaving with an unknown connection changes nothing.</summary>
    [Fact]
    public async Task UnknownLeaveChangesNothing()
    {
        var room = AuctionId.New();
        await Tracker.JoinAsync(room, "ana", "c1");

        Assert.Equal(new PresenceChange(false, 1), await Tracker.LeaveAsync(room, "ana", "nope"));
        Assert.Equal(new PresenceChange(false, 1), await Tracker.LeaveAsync(room, "zoe", "c9"));
        Assert.Equal(new PresenceChange(false, 0), await Tracker.LeaveAsync(AuctionId.New(), "ana", "c1"));
        Assert.Equal(1, await Tracker.CountAsync(room));
    }

    /// <summary>Rooms are counted separately.</summary>
    [Fact]
    public async Task RoomsAreIndependent()
    {
        var first = AuctionId.New();
        var second = AuctionId.New();
        await Tracker.JoinAsync(first, "ana", "c1");
        await Tracker.JoinAsync(first, "ben", "c2");

        Assert.Equal(new PresenceChange(true, 1), await Tracker.JoinAsync(second, "ana", "c3"));
        Assert.Equal(2, await Tracker.CountAsync(first));
        Assert.Equal(1, await Tracker.CountAsync(second));
        Assert.Equal(0, await Tracker.CountAsync(AuctionId.New()));
    }

    /// <summary>Concurrent joins and leaves of many users leave an exact count.</summary>
    [Fact]
    public async Task ConcurrentJoinsAndLeavesStayExact()
    {
        var room = AuctionId.New();
        var joins = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
            await Tracker.JoinAsync(room, $"user{i % 50}", $"conn{i}"))));

        Assert.Equal(50, joins.Count(j => j.UserChanged));
        Assert.Equal(50, await Tracker.CountAsync(room));

        var leaves = await Task.WhenAll(Enumerable.Range(0, 100).Where(i => i % 2 == 0).Select(i => Task.Run(async () =>
            await Tracker.LeaveAsync(room, $"user{i % 50}", $"conn{i}"))));

        // conn i and conn i+50 belong to the same user: users 0,2,..,48 lose both their even connections.
        Assert.Equal(25, leaves.Count(l => l.UserChanged));
        Assert.Equal(25, await Tracker.CountAsync(room));
    }
}

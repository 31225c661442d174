using RemateLive.Client.Internal;

namespace RemateLive.Client.Tests.Unit;

public sealed class GapFillTests
{
    private static AuctionExtended Event(long seq) => new(seq, DateTimeOffset.UnixEpoch, (int)seq);

    [Fact]
    public async Task AGapIsFilledFromTheStoreBeforeTheLaterEventIsReleased()
    {
        var seq = new SeqTracker(2);
        var asked = new List<(long, long)>();
        GapFill.Fetch store = (after, upTo, _) =>
        {
            asked.Add((after, upTo));
            return Task.FromResult(Enumerable.Range((int)after + 1, (int)(upTo - after)).Select(s => (SequencedEvent)Event(s)).ToList());
        };

        var (release, resume) = await GapFill.AcceptAsync(seq, Event(6), store, CancellationToken.None);

        Assert.Equal([(2L, 5L)], asked);
        Assert.Equal([3L, 4L, 5L, 6L], release.Select(e => e.Seq));
        Assert.False(resume);
        Assert.Equal(6, seq.Last);
    }

    [Fact]
    public async Task DuplicatesReleaseNothingAndTheNextSeqNeedsNoStore()
    {
        var seq = new SeqTracker(4);
        GapFill.Fetch store = (_, _, _) => throw new InvalidOperationException("the store must not be asked");

        Assert.Empty((await GapFill.AcceptAsync(seq, Event(3), store, CancellationToken.None)).Release);
        Assert.Empty((await GapFill.AcceptAsync(seq, Event(4), store, CancellationToken.None)).Release);
        Assert.Equal([5L], (await GapFill.AcceptAsync(seq, Event(5), store, CancellationToken.None)).Release.Select(e => e.Seq));
        Assert.Empty((await GapFill.AcceptAsync(seq, Event(5), store, CancellationToken.None)).Release);
    }

    [Fact]
    public async Task WhenTheStoreIsUnreachableOrShortTheSocketMustReplay()
    {
        var seq = new SeqTracker(1);
        GapFill.Fetch down = (_, _, _) => throw new HttpRequestException("connection refused");
        GapFill.Fetch partial = (_, _, _) => Task.FromResult(new List<SequencedEvent> { Event(2) }); // seq 3 not there yet

        var (none, resume) = await GapFill.AcceptAsync(seq, Event(4), down, CancellationToken.None);
        Assert.Empty(none);
        Assert.True(resume);
        Assert.Equal(1, seq.Last);

        var (some, resumeAgain) = await GapFill.AcceptAsync(seq, Event(4), partial, CancellationToken.None);
        Assert.Equal([2L], some.Select(e => e.Seq));
        Assert.True(resumeAgain);
        Assert.Equal(2, seq.Last); // never past a seq it has not delivered
    }
}

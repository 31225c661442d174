using RemateLive.Client.Internal;

namespace RemateLive.Client.Tests.Unit;

public sealed class SeqTrackerTests
{
    [Fact]
    public void TheNextSeqIsDeliveredEarlierOnesAreDuplicatesLaterOnesAreGaps()
    {
        var seq = new SeqTracker(5);

        Assert.Equal(SeqVerdict.Duplicate, seq.Classify(3));
        Assert.Equal(SeqVerdict.Duplicate, seq.Classify(5));
        Assert.Equal(SeqVerdict.Next, seq.Classify(6));
        Assert.Equal(SeqVerdict.Gap, seq.Classify(8));

        seq.Delivered(6);
        Assert.Equal(6, seq.Last);
        Assert.Equal(SeqVerdict.Duplicate, seq.Classify(6));
        Assert.Equal(SeqVerdict.Next, seq.Classify(7));
    }

    [Fact]
    public void DeliveringOutOfOrderIsABugNotASilentGap()
    {
        var seq = new SeqTracker(0);

        Assert.Throws<InvalidOperationException>(() => seq.Delivered(2));
        Assert.Equal(0, seq.Last);
    }
}

namespace RemateLive.Client.Internal;

internal enum SeqVerdict
{
    /// <summary>The next seq: deliver it.</summary>
    Next,

    /// <summary>Already delivered (a replay overlapping live events, a retried bid's answer): drop it.</summary>
    Duplicate,

    /// <summary>Later than the next one: fill the seqs in between first.</summary>
    Gap,
}

/// <summary>The last delivered seq of one auction: decides, per durable event, deliver / drop / fill a gap first.</summary>
internal sealed class SeqTracker(long lastSeq)
{
    public long Last { get; private set; } = lastSeq;

    public SeqVerdict Classify(long seq) =>
        seq <= Last ? SeqVerdict.Duplicate : seq == Last + 1 ? SeqVerdict.Next : SeqVerdict.Gap;

    /// <summary>Records a delivered seq; only the next one may be recorded (the caller fills gaps first).</summary>
    public void Delivered(long seq)
    {
        if (seq != Last + 1)
        {
            throw new InvalidOperationException($"seq {seq} delivered after {Last}");
        }

        Last = seq;
    }
}

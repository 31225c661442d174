using System.Text.Json;

namespace RemateLive.Client.Internal;

/// <summary>
/// Exactly once, in order: decides what one incoming durable event releases to the application. A duplicate
/// releases nothing; the next seq releases itself; a later one first fetches the missing seqs (from the store's
/// <c>/events</c>) and releases them and itself — or, when the store cannot fill the gap, nothing, and asks the
/// caller to have the socket replay from the last delivered seq.
/// </summary>
internal static class GapFill
{
    public delegate Task<List<SequencedEvent>> Fetch(long afterSeq, long upToSeq, CancellationToken cancellationToken);

    public static async Task<(List<SequencedEvent> Release, bool ResumeNeeded)> AcceptAsync(SeqTracker seq, SequencedEvent e, Fetch fetch, CancellationToken cancellationToken)
    {
        var release = new List<SequencedEvent>();
        switch (seq.Classify(e.Seq))
        {
            case SeqVerdict.Duplicate:
                return (release, false);
            case SeqVerdict.Gap:
                try
                {
                    foreach (var missed in await fetch(seq.Last, e.Seq - 1, cancellationToken))
                    {
                        if (seq.Classify(missed.Seq) == SeqVerdict.Next)
                        {
                            seq.Delivered(missed.Seq);
                            release.Add(missed);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    // The store is unreachable: the socket's replay is the fallback.
                }

                if (seq.Classify(e.Seq) != SeqVerdict.Next)
                {
                    return (release, true);
                }

                break;
        }

        seq.Delivered(e.Seq);
        release.Add(e);
        return (release, false);
    }
}

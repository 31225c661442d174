namespace RemateLive.Client.Internal;

/// <summary>
/// Exponential back-off with "equal jitter": attempt n waits between half and all of min·2ⁿ (capped at max),
/// so a crowd of clients dropped at once spreads its reconnects instead of stampeding, yet never waits zero.
/// </summary>
internal sealed class Backoff(TimeSpan min, TimeSpan max, Func<double> random)
{
    public TimeSpan Delay(int attempt)
    {
        var cap = min.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        cap = Math.Min(cap, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((cap / 2) + (random() * cap / 2));
    }
}

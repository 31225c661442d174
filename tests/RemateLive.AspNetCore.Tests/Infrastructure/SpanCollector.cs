using System.Collections.Concurrent;
using System.Diagnostics;
using RemateLive.Diagnostics;

namespace RemateLive.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Records every finished span of the <c>RemateLive</c> source in this process (tests run in parallel:
/// filter by auction id, then by trace id).
/// </summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RemateLiveDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>Waits until a finished span matches, or fails after 10 s naming what was seen.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_spans.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"No span: {what}. Seen: {string.Join(", ", _spans.Select(s => s.OperationName).Distinct())}");
    }

    public void Dispose() => _listener.Dispose();
}

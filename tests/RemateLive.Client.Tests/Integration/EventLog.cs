namespace RemateLive.Client.Tests.Integration;

/// <summary>Reads a client's events in the background and lets a test wait for one.</summary>
internal sealed class EventLog : IAsyncDisposable
{
    private readonly List<AuctionEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    public EventLog(RemateLiveClient client) => _reader = Task.Run(async () =>
    {
        try
        {
            await foreach (var e in client.ReadEventsAsync(_stop.Token))
            {
                lock (_events)
                {
                    _events.Add(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    public IReadOnlyList<AuctionEvent> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    /// <summary>The durable events' seqs, in the order the application received them.</summary>
    public List<long> Seqs() => Snapshot().OfType<SequencedEvent>().Select(e => e.Seq).ToList();

    public async Task WaitForAsync(Func<IReadOnlyList<AuctionEvent>, bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(Snapshot()))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; saw: {string.Join(", ", Snapshot())}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
    }
}

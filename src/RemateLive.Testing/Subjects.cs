namespace RemateLive.Testing;

// Adapters under test may be async-disposable, disposable or neither.
internal static class Subjects
{
    internal static async ValueTask DisposeAsync(object? subject)
    {
        switch (subject)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}

namespace RemateLive.Domain;

/// <summary>
/// Anti-sniping: an accepted bid that changes the price within <see cref="WindowSeconds"/> of the end
/// extends the end by <see cref="ExtensionSeconds"/>, at most <see cref="MaxExtensions"/> times.
/// </summary>
public sealed record SoftClosePolicy(int WindowSeconds, int ExtensionSeconds, int MaxExtensions);

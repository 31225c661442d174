namespace RemateLive.Client;

/// <summary>The server refused the client for good (e.g. <c>auth_error</c> <c>USERNAME_TAKEN</c>, an unknown auction).</summary>
public sealed class RemateLiveClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The protocol's error code.</param>
    /// <param name="message">The server's message.</param>
    public RemateLiveClientException(string code, string message)
        : base($"{code}: {message}") => Code = code;

    /// <summary>The protocol's error code (<c>USERNAME_TAKEN</c>, <c>NOT_AUTHENTICATED</c>, <c>VALIDATION_FAILED</c>, <c>NOT_FOUND</c>…).</summary>
    public string Code { get; }
}

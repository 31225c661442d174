namespace RemateLive.Sample;

/// <summary>
/// The reference host's browser hardening (the library leaves headers to its host): a strict CSP that also
/// forbids framing (the one-click quick-bid button cannot be clickjacked), nosniff and a referrer policy.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The UI's policy: everything from this origin (WebSocket/SignalR included), no framing, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    // The API reference UI (Scalar) needs inline scripts: it gets only the framing and sniffing protections.
    private const string DocsPolicy = "frame-ancestors 'none'";

    public static void UseSecurityHeaders(this WebApplication app, string docsPath) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(docsPath, StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase)
            ? DocsPolicy
            : ContentSecurityPolicy;
        return next(context);
    });
}

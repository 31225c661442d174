using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RemateLive.AspNetCore.Realtime;

/// <summary>
/// <c>RemateLive:Realtime:AllowedOrigins</c> for WebSocket and hub upgrades (cross-site WebSocket hijacking):
/// a request without <c>Origin</c> (not a browser) passes; <c>*</c> allows every origin; a listed origin
/// passes; with no list, a request that carries cookies and no bearer token must come from the same origin.
/// </summary>
internal static class OriginPolicy
{
    public static bool IsAllowed(HttpContext context, IList<string> allowed)
    {
        string? origin = context.Request.Headers[HeaderNames.Origin];
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (allowed.Count > 0)
        {
            return allowed.Any(a => a == "*" || SameOrigin(a, origin));
        }

        var cookieAuthenticated = context.Request.Headers.Cookie.Count > 0
            && context.Request.Headers.Authorization.Count == 0
            && !context.Request.Query.ContainsKey("access_token");
        return !cookieAuthenticated || SameOrigin($"{context.Request.Scheme}://{context.Request.Host}", origin);
    }

    private static bool SameOrigin(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var x) && Uri.TryCreate(b, UriKind.Absolute, out var y)
        && string.Equals(x.Scheme, y.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(x.IdnHost, y.IdnHost, StringComparison.OrdinalIgnoreCase)
        && x.Port == y.Port;
}

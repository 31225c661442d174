using System.Net;
using Microsoft.AspNetCore.Http;

namespace RemateLive.AspNetCore.RateLimiting;

/// <summary>The client address every per-IP limit and cap is keyed by (one place to change how it is derived).</summary>
internal static class ClientAddress
{
    /// <summary>The request's remote address.</summary>
    public static IPAddress? Of(HttpContext context) => context.Connection.RemoteIpAddress;
}

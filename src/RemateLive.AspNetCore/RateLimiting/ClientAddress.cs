using System.Net;
using Microsoft.AspNetCore.Http;

namespace RemateLive.AspNetCore.RateLimiting;

/// <summary>
/// The client address our per-IP limits count: the connection's remote address (the real client once
/// <c>RemateLive:ForwardedHeaders</c> trusts the proxy in front). IPv4 addresses count one by one; IPv6
/// clients count per /64, the smallest block one subscriber is normally given (any host can pick new
/// addresses within it at will).
/// </summary>
internal static class ClientAddress
{
    /// <summary>The request's remote address: the one place the client address is read.</summary>
    public static IPAddress? Of(HttpContext context) => context.Connection.RemoteIpAddress;

    /// <summary>The bucket name for <paramref name="remote"/> (<c>unknown</c> when there is none, e.g. in-process tests).</summary>
    public static string LimitKey(IPAddress? remote)
    {
        if (remote is null)
        {
            return "unknown";
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (remote.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return remote.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        remote.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}

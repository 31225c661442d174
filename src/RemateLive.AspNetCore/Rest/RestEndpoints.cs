using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RemateLive.AspNetCore.Identity;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Rest;

/// <summary>Maps the REST API (spec: REST) under the API prefix.</summary>
internal static class RestEndpoints
{
    public static void Map(RouteGroupBuilder api, RemateLiveOptions options, bool mapAuth)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        api.AddEndpointFilter(UnavailableWhenStoreFailsAsync);
        // Authenticates with the accepted schemes; the endpoints answer 401/403 themselves (login is anonymous).
        api.RequireAuthorization(RemateAuthentication.EndpointPolicy);
        if (mapAuth)
        {
            AuthEndpoints.Map(api);
        }

        AuctionEndpoints.Map(api);
        AdminEndpoints.Map(api);
        BidEndpoints.Map(api);
        MeEndpoints.Map(api);
    }

    // A store (or other dependency) that throws must never look like success: 503 UNAVAILABLE, nothing acknowledged.
    private static async ValueTask<object?> UnavailableWhenStoreFailsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var http = context.HttpContext;
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RemateLive.Rest");
            RestLog.DependencyFailed(logger, ex, http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = "1";
            return Problems.Error(ErrorCodes.Unavailable, "A dependency is temporarily unavailable; nothing was changed. Please retry.");
        }
    }
}

/// <summary>REST log messages.</summary>
internal static partial class RestLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed: a dependency is unavailable.")]
    public static partial void DependencyFailed(ILogger logger, Exception ex, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {Username} signed in ({Role}).")]
    public static partial void SignedIn(ILogger logger, string username, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auction {AuctionId} created by {Username}: {Title}.")]
    public static partial void AuctionCreated(ILogger logger, AuctionId auctionId, string username, string title);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auction {AuctionId} {Action} by {Username}.")]
    public static partial void AuctionEnded(ILogger logger, AuctionId auctionId, string action, string username);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bid on {AuctionId} by {Username} rejected: {Code}.")]
    public static partial void BidRejected(ILogger logger, AuctionId auctionId, string username, string code);
}

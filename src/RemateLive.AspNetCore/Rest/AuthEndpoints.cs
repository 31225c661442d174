using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using RemateLive.AspNetCore.Identity;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Rest;

/// <summary>
/// <c>POST /auth/login</c> (claim a username or sign in to a claimed one), <c>POST /auth/logout</c> (revoke
/// the caller's tokens) and <c>POST /auth/password</c> (change the password, revoking older tokens).
/// </summary>
internal static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/login", LoginAsync)
            .AllowAnonymous()
            .WithName("Login")
            .WithTags("Auth")
            .WithSummary("Claims a username (optionally with a password) or signs in to a claimed one; returns a bearer token.")
            .Accepts<LoginRequest>("application/json")
            .Produces<LoginResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapPost("/auth/logout", LogoutAsync)
            .WithName("Logout")
            .WithTags("Auth")
            .WithSummary("Revokes every token of the caller (all devices).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapPost("/auth/password", ChangePasswordAsync)
            .WithName("ChangePassword")
            .WithTags("Auth")
            .WithSummary("Sets a new password (the current one is required when set), revokes older tokens and returns a fresh one.")
            .Accepts<ChangePasswordRequest>("application/json")
            .Produces<LoginResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, RemateIdentity identity)
    {
        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        await identity.LogoutAsync(user, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, RemateIdentity identity)
    {
        var user = await context.GetRemateUserAsync(identity);
        if (user is null)
        {
            return AdminEndpoints.NotAuthenticated(context);
        }

        var (body, problem) = await JsonBody.ReadAsync<ChangePasswordRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var result = await identity.ChangePasswordAsync(user, body!.CurrentPassword, body.NewPassword, ClientAddress.Of(context), context.RequestAborted);
        if (result.Error is { } error)
        {
            return error.Code == ErrorCodes.RateLimited ? RateLimited(context, result.RetryAfter ?? TimeSpan.FromSeconds(1)) : Problems.Error(error);
        }

        var changed = result.User!;
        return WireJsonResult.Ok(new LoginResponse(changed.Id.ToString(), changed.Username, changed.DisplayName, changed.Role, result.Token!));
    }

    private static async Task<IResult> LoginAsync(HttpContext context, RemateIdentity identity, RemateRateLimits limits, ILoggerFactory loggers)
    {
        var limit = await limits.ForConnectionAsync(ClientAddress.Of(context), context.RequestAborted);
        if (!limit.Allowed)
        {
            return RateLimited(context, limit.RetryAfter);
        }

        var (body, problem) = await JsonBody.ReadAsync<LoginRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = IdentityRules.Validate(body!.Username, body.DisplayName);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var result = await identity.SignInAsync(body.Username, body.DisplayName, body.Password, BearerToken(context), ClientAddress.Of(context), context.RequestAborted);
        if (result.Error is { } error)
        {
            return error.Code == ErrorCodes.RateLimited ? RateLimited(context, result.RetryAfter ?? TimeSpan.FromSeconds(1)) : Problems.Error(error);
        }

        var user = result.User!;
        var logger = loggers.CreateLogger("RemateLive.Rest");
        RestLog.SignedIn(logger, user.Username, user.Role);
        return WireJsonResult.Ok(new LoginResponse(user.Id.ToString(), user.Username, user.DisplayName, user.Role, result.Token!));
    }

    internal static IResult RateLimited(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = (long)Math.Max(1, Math.Ceiling(Math.Min(retryAfter.TotalSeconds, 86_400)));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Error(ErrorCodes.RateLimited, $"Too many requests; retry after {seconds} s.", extra: new Dictionary<string, object?> { ["retry_after_seconds"] = seconds });
    }

    private static string? BearerToken(HttpContext context)
    {
        string? header = context.Request.Headers[HeaderNames.Authorization];
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}

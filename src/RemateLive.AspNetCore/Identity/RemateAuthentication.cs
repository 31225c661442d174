using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace RemateLive.AspNetCore.Identity;

/// <summary>Names of Remate Live's authentication scheme and authorization policies.</summary>
internal static class RemateAuthentication
{
    /// <summary>Our bearer-token scheme (REST <c>Authorization: Bearer</c>; SignalR <c>access_token</c> on the hub path).</summary>
    public const string Scheme = RemateLiveOptions.IdentityOptions.RemateLiveScheme;

    /// <summary>A policy that requires a signed-in user, by our token or by the host's default authentication.</summary>
    public const string UserPolicy = "remate-user";

    /// <summary>
    /// Our REST endpoints' policy: it authenticates with the accepted schemes and lets every request through,
    /// because the endpoints answer 401/403 themselves as problem details (and public reads need no user).
    /// Being a policy, it also keeps a host's <c>FallbackPolicy</c> off our endpoints.
    /// </summary>
    public const string EndpointPolicy = "remate-endpoint";
}


/// <summary>
/// Authenticates our tokens. It is added next to the host's schemes, never made the default, so a host's
/// cookie/JWT setup keeps working; Remate Live's endpoints and policies ask for both.
/// </summary>
internal sealed class RemateBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    RemateIdentity identity,
    IOptions<RemateLiveOptions> options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        return await identity.ValidateTokenAsync(token, Context.RequestAborted) is { } user
            ? AuthenticateResult.Success(new AuthenticationTicket(RemateIdentity.ToPrincipal(user, Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail("Invalid, expired or revoked token.");
    }

    private string? ReadToken()
    {
        string? header = Request.Headers[HeaderNames.Authorization];
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        // Browsers cannot set headers on WebSocket/SSE requests: SignalR sends the token in the query string.
        var hub = options.Value.Routes.Hub.TrimEnd('/');
        var path = Request.Path.Value ?? "";
        var onHub = (hub.Length > 0 && path.Contains(hub, StringComparison.OrdinalIgnoreCase))
            || path.Contains(Sales.SaleRouting.HubRoute, StringComparison.OrdinalIgnoreCase);
        return onHub && Request.Query["access_token"] is [{ Length: > 0 } q] ? q : null;
    }
}

/// <summary>Defines <see cref="RemateAuthentication.UserPolicy"/> and the admin policy, accepting our scheme and the host's default one.</summary>
internal sealed class ConfigureRemateAuthorization(
    IOptions<AuthenticationOptions> authentication,
    IOptions<RemateLiveOptions> options) : IConfigureOptions<AuthorizationOptions>
{
    public void Configure(AuthorizationOptions authorization)
    {
        var schemes = AcceptedSchemes(authentication.Value, options.Value.Identity);
        if (authorization.GetPolicy(RemateAuthentication.EndpointPolicy) is null)
        {
            authorization.AddPolicy(RemateAuthentication.EndpointPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAssertion(_ => true));
        }

        if (authorization.GetPolicy(RemateAuthentication.UserPolicy) is null)
        {
            authorization.AddPolicy(RemateAuthentication.UserPolicy, p => p.AddAuthenticationSchemes([.. schemes]).RequireAuthenticatedUser());
        }

        // A host that registered its own policy under this name keeps it.
        var admin = options.Value.Identity.AdminPolicy;
        if (authorization.GetPolicy(admin) is null)
        {
            authorization.AddPolicy(admin, p => p.AddAuthenticationSchemes([.. schemes]).RequireRole(RemateRoles.Admin));
        }
    }

    /// <summary>The configured schemes, else ours and the host's default one.</summary>
    internal static List<string> AcceptedSchemes(AuthenticationOptions authentication, RemateLiveOptions.IdentityOptions identity)
    {
        if (identity.AuthenticationSchemes.Count > 0)
        {
            return [.. identity.AuthenticationSchemes.Distinct(StringComparer.Ordinal)];
        }

        var schemes = new List<string> { RemateAuthentication.Scheme };
        var hostDefault = authentication.DefaultAuthenticateScheme ?? authentication.DefaultScheme;
        if (hostDefault is not null && hostDefault != RemateAuthentication.Scheme)
        {
            schemes.Add(hostDefault);
        }

        return schemes;
    }
}

/// <summary>Resolves the caller of a Remate Live endpoint.</summary>
internal static class HttpContextIdentityExtensions
{
    /// <summary>
    /// The signed-in user: the request's principal when the host already authenticated it, else our bearer
    /// token. Null when anonymous or the token is invalid.
    /// </summary>
    public static async Task<RemateUser?> GetRemateUserAsync(this HttpContext context, RemateIdentity identity)
    {
        if (identity.FromPrincipal(context.User) is { } user)
        {
            return user;
        }

        // Our token only when our scheme is accepted (a host may accept its own identity alone).
        var accepted = context.RequestServices.GetRequiredService<IOptions<RemateLiveOptions>>().Value.Identity.AuthenticationSchemes;
        if (accepted.Count > 0 && !accepted.Contains(RemateAuthentication.Scheme))
        {
            return null;
        }

        var result = await context.AuthenticateAsync(RemateAuthentication.Scheme);
        if (result.Succeeded && identity.FromPrincipal(result.Principal) is { } fromToken)
        {
            context.User = result.Principal;
            return fromToken;
        }

        return null;
    }
}

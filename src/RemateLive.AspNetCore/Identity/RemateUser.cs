using RemateLive.Domain;

namespace RemateLive.AspNetCore.Identity;

/// <summary>A signed-in user as every transport sees them.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Username">Lower-case unique name.</param>
/// <param name="DisplayName">Name shown to others.</param>
/// <param name="Role"><see cref="RemateRoles.Bidder"/> or <see cref="RemateRoles.Admin"/> (or a host role).</param>
/// <param name="SecurityStamp">The account's stamp when signed in with our token (null for host identities): a changed stamp revokes the session.</param>
internal sealed record RemateUser(UserId Id, string Username, string DisplayName, string Role, string? SecurityStamp = null)
{
    /// <summary>Whether the user holds the admin role.</summary>
    public bool IsAdmin => string.Equals(Role, RemateRoles.Admin, StringComparison.Ordinal);
}

/// <summary>The outcome of <see cref="RemateIdentity.SignInAsync"/>: a user and a fresh token, or an error (with a wait when rate limited).</summary>
internal sealed record SignInResult(RemateUser? User, string? Token, DomainError? Error, TimeSpan? RetryAfter = null);

/// <summary>Role names.</summary>
internal static class RemateRoles
{
    public const string Bidder = "bidder";
    public const string Admin = "admin";
}

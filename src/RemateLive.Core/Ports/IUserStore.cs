using System.Security.Cryptography;
using RemateLive.Domain;

namespace RemateLive.Ports;

/// <summary>
/// The user-account port: usernames claimed once (case-insensitive), password hashes, roles and each
/// account's security stamp (changing it revokes every token issued before). An adapter must pass the
/// compliance kit's <c>UserStoreComplianceTests</c>. Infrastructure failures surface as exceptions.
/// </summary>
public interface IUserStore
{
    /// <summary>The account with this (case-insensitive) username, or null.</summary>
    Task<UserAccount?> FindByNameAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The account with this id, or null.</summary>
    Task<UserAccount?> FindByIdAsync(UserId id, CancellationToken cancellationToken = default);

    /// <summary>Claims a username; false when it is taken (nothing changes).</summary>
    Task<bool> TryAddAsync(UserAccount user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the display name, password hash, role and security stamp of the account with
    /// <paramref name="user"/>'s id if its stored stamp is still <paramref name="expectedStamp"/>; false
    /// otherwise (changed meanwhile or gone). The username, id and creation time never change.
    /// </summary>
    Task<bool> TryUpdateAsync(UserAccount user, string expectedStamp, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes passwordless accounts created before <paramref name="createdBefore"/> (no token for them
    /// can still be valid, so their names are free again); returns how many were deleted.
    /// </summary>
    Task<int> DeleteUnclaimedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default);
}

/// <summary>A registered user.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="Username">Lower-case unique name (3–32 of <c>[a-z0-9_.-]</c>).</param>
/// <param name="DisplayName">Name shown to others.</param>
/// <param name="PasswordHash">A password hash, when the user set a password.</param>
/// <param name="Role">"bidder" or "admin".</param>
/// <param name="CreatedAt">When the name was claimed.</param>
public sealed record UserAccount(UserId Id, string Username, string DisplayName, string? PasswordHash, string Role, DateTimeOffset CreatedAt)
{
    /// <summary>Random value embedded in every token issued for the account; a new one revokes them all.</summary>
    public string SecurityStamp { get; init; } = NewSecurityStamp();

    /// <summary>A fresh random security stamp.</summary>
    public static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Identity;

/// <summary>
/// Sign-in for every transport: claims usernames, checks passwords (ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/>) and issues/validates tokens protected by ASP.NET Core Data
/// Protection with an expiry. Nobody can act as another user by sending their username: a claimed name
/// needs its password or a token issued for it.
/// </summary>
internal sealed class RemateIdentity
{
    /// <summary>Claim carrying the display name in principals built from our tokens.</summary>
    public const string DisplayNameClaim = "remate:display_name";

    private readonly IAuctionStore _store;
    private readonly ITimeLimitedDataProtector _protector;
    private readonly PasswordHasher<UserAccount> _hasher = new();
    private readonly TimeProvider _time;
    private readonly IOptions<RemateLiveOptions> _options;

    public RemateIdentity(IAuctionStore store, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<RemateLiveOptions> options)
    {
        _store = store;
        _protector = dataProtection.CreateProtector("RemateLive.Identity.Token.v1").ToTimeLimitedDataProtector();
        _time = time;
        _options = options;
    }

    /// <summary>
    /// Claims a new username (storing the password's hash when given), or signs in to a claimed one with its
    /// password or a valid token for it. Errors: <c>VALIDATION_FAILED</c>, <c>USERNAME_TAKEN</c>.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string? username, string? displayName, string? password, string? token, CancellationToken ct)
    {
        var errors = IdentityRules.Validate(username, displayName);
        if (errors.Count > 0)
        {
            return Fail(ErrorCodes.ValidationFailed, string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var name = IdentityRules.NormalizeUsername(username)!;
        var display = IdentityRules.NormalizeDisplayName(displayName);
        var account = await _store.FindUserAsync(name, ct);
        if (account is null)
        {
            var hash = string.IsNullOrEmpty(password) ? null : _hasher.HashPassword(null!, password);
            var created = new UserAccount(UserId.New(), name, display ?? name, hash, RemateRoles.Bidder, _time.GetUtcNow());
            if (await _store.TryAddUserAsync(created, ct))
            {
                return Issue(created, display);
            }

            // Someone claimed it a moment ago: it is now an existing account like any other.
            account = await _store.FindUserAsync(name, ct);
            if (account is null)
            {
                return Fail(ErrorCodes.UsernameTaken, "The username is taken.");
            }
        }

        if (ValidateToken(token) is { } fromToken && fromToken.Id == account.Id)
        {
            return Issue(account, display);
        }

        if (!string.IsNullOrEmpty(password) && account.PasswordHash is { } stored
            && _hasher.VerifyHashedPassword(account, stored, password) != PasswordVerificationResult.Failed)
        {
            return Issue(account, display);
        }

        return Fail(ErrorCodes.UsernameTaken, "The username is taken: sign in with its password or token.");
    }

    /// <summary>Creates the account <paramref name="username"/> with the admin role when it does not exist; returns the account that stands.</summary>
    public async Task<UserAccount> EnsureAdminAsync(string username, string password, CancellationToken ct)
    {
        var name = IdentityRules.NormalizeUsername(username) ?? throw new ArgumentException("Invalid admin username.", nameof(username));
        if (await _store.FindUserAsync(name, ct) is { } existing)
        {
            return existing;
        }

        var admin = new UserAccount(UserId.New(), name, "Admin", _hasher.HashPassword(null!, password), RemateRoles.Admin, _time.GetUtcNow());
        return await _store.TryAddUserAsync(admin, ct) ? admin : (await _store.FindUserAsync(name, ct))!;
    }

    /// <summary>Issues a token for <paramref name="user"/> (valid for <c>Identity:TokenLifetime</c>).</summary>
    public string IssueToken(RemateUser user)
    {
        var payload = JsonSerializer.Serialize(new[] { user.Id.ToString(), user.Username, user.DisplayName, user.Role });
        return _protector.Protect(payload, _time.GetUtcNow() + _options.Value.Identity.TokenLifetime);
    }

    /// <summary>The user a token was issued for, or null when it is missing, forged or expired.</summary>
    public RemateUser? ValidateToken(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(_protector.Unprotect(token, out _));
            return parts is [var id, var username, var display, var role] && UserId.TryParse(id, out var userId)
                ? new RemateUser(userId, username, display, role)
                : null;
        }
        catch (CryptographicException)
        {
            return null; // forged, corrupted or expired
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The user behind a principal: one built from our token (<see cref="RemateAuthentication.Scheme"/>) or the
    /// host's own authentication (cookie, JWT…). Host users get a stable id derived from their name unless
    /// their <see cref="ClaimTypes.NameIdentifier"/> is a GUID. Null when not authenticated.
    /// </summary>
    #pragma warning disable CA1822 // instance member: part of the injected service's contract
    public RemateUser? FromPrincipal(ClaimsPrincipal? principal)
    {
        var identity = principal?.Identities.FirstOrDefault(i => i.IsAuthenticated);
        if (principal is null || identity is null)
        {
            return null;
        }

        var subject = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub");
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? principal.FindFirstValue("name") ?? identity.Name ?? subject;
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var id = UserId.TryParse(subject, out var parsed) ? parsed : DeriveId(identity.AuthenticationType, subject ?? name);
        var display = principal.FindFirstValue(DisplayNameClaim) ?? principal.FindFirstValue(ClaimTypes.GivenName) ?? name;
        var role = principal.IsInRole(RemateRoles.Admin) ? RemateRoles.Admin : RemateRoles.Bidder;
        var username = IdentityRules.NormalizeUsername(name) ?? name;
        return new RemateUser(id, username, IdentityRules.NormalizeDisplayName(display) ?? username, role);
    }
#pragma warning restore CA1822

    /// <summary>A principal for <paramref name="user"/> (what <see cref="RemateAuthentication.Scheme"/> produces).</summary>
    public static ClaimsPrincipal ToPrincipal(RemateUser user, string authenticationType)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.Username),
                new Claim(DisplayNameClaim, user.DisplayName),
                new Claim(ClaimTypes.Role, user.Role),
            ],
            authenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    // Host identities without a GUID subject: a stable id per (scheme, subject), not a secret.
    private static UserId DeriveId(string? scheme, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{scheme}\n{subject}"));
        return new UserId(new Guid(hash.AsSpan(0, 16)));
    }

    private SignInResult Issue(UserAccount account, string? displayName)
    {
        var user = new RemateUser(account.Id, account.Username, displayName ?? account.DisplayName, account.Role);
        return new SignInResult(user, IssueToken(user), null);
    }

    private static SignInResult Fail(string code, string message) => new(null, null, new DomainError(code, message));
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.RateLimiting;
using RemateLive.Domain;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Identity;

/// <summary>
/// Sign-in for every transport: claims usernames, checks passwords (ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/>, every check charged to the per-IP and per-username limits) and
/// issues/validates tokens protected by ASP.NET Core Data Protection. A token names the account, its
/// security stamp and the session's start: it is valid only while the stored stamp is unchanged (logout
/// and password changes replace it) and the session is younger than <c>Identity:SessionLifetime</c>; the
/// role is read from the store, never from the token.
/// </summary>
internal sealed class RemateIdentity
{
    /// <summary>Claim carrying the display name in principals built from our tokens.</summary>
    public const string DisplayNameClaim = "remate:display_name";

    /// <summary>Claim carrying the account's security stamp in principals built from our tokens.</summary>
    public const string SecurityStampClaim = "remate:security_stamp";

    /// <summary>Shortest accepted new password.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>Longest accepted password (hashing cost is bounded).</summary>
    public const int MaxPasswordLength = 256;

    private const int CacheLimit = 100_000;

    private readonly IUserStore _store;
    private readonly ITimeLimitedDataProtector _protector;
    private readonly PasswordHasher<UserAccount> _hasher = new();
    private readonly TimeProvider _time;
    private readonly IOptions<RemateLiveOptions> _options;
    private readonly RemateRateLimits _limits;
    private readonly PasswordBackoff _backoff;
    private readonly ConcurrentDictionary<UserId, CachedAccount> _accounts = new();

    public RemateIdentity(IUserStore store, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<RemateLiveOptions> options, RemateRateLimits limits, PasswordBackoff backoff)
    {
        _store = store;
        _protector = dataProtection.CreateProtector("RemateLive.Identity.Token.v2").ToTimeLimitedDataProtector();
        _time = time;
        _options = options;
        _limits = limits;
        _backoff = backoff;
    }

    private RemateLiveOptions.IdentityOptions Options => _options.Value.Identity;

    /// <summary>
    /// Claims a new username (storing the password's hash when given), or signs in to a claimed one with its
    /// password or a valid token for it (which keeps the token's session). Errors: <c>VALIDATION_FAILED</c>,
    /// <c>USERNAME_TAKEN</c>, <c>RATE_LIMITED</c> (with <see cref="SignInResult.RetryAfter"/>).
    /// </summary>
    public async Task<SignInResult> SignInAsync(string? username, string? displayName, string? password, string? token, IPAddress? clientAddress, CancellationToken ct)
    {
        var errors = IdentityRules.Validate(username, displayName);
        if (password is { Length: > MaxPasswordLength })
        {
            errors["password"] = [$"password must have at most {MaxPasswordLength} characters."];
        }

        if (errors.Count > 0)
        {
            return Fail(ErrorCodes.ValidationFailed, string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var name = IdentityRules.NormalizeUsername(username)!;
        var display = IdentityRules.NormalizeDisplayName(displayName);
        var account = await _store.FindByNameAsync(name, ct);
        if (account is not null && IsUnclaimed(account))
        {
            // No token for it can still be valid: the name is free again.
            await _store.DeleteUnclaimedAsync(UnclaimedCutOff(), ct);
            account = await _store.FindByNameAsync(name, ct);
        }

        if (account is null)
        {
            string? hash = null;
            if (!string.IsNullOrEmpty(password))
            {
                if (await ThrottleAsync(clientAddress, name, ct) is { } limited)
                {
                    return limited;
                }

                hash = _hasher.HashPassword(null!, password);
            }

            var created = new UserAccount(UserId.New(), name, display ?? name, hash, RemateRoles.Bidder, _time.GetUtcNow());
            if (await _store.TryAddAsync(created, ct))
            {
                return Issue(created, display, _time.GetUtcNow());
            }

            // Someone claimed it a moment ago: it is now an existing account like any other.
            account = await _store.FindByNameAsync(name, ct);
            if (account is null)
            {
                return Fail(ErrorCodes.UsernameTaken, "The username is taken.");
            }
        }

        if (await ReadTokenAsync(token, ct) is { } fromToken && fromToken.Account.Id == account.Id)
        {
            return Issue(fromToken.Account, display ?? fromToken.DisplayName, fromToken.SessionStart);
        }

        if (!string.IsNullOrEmpty(password) && account.PasswordHash is not null)
        {
            return await CheckPasswordAsync(account, password, clientAddress, ct) is { } failure
                ? failure
                : Issue(account, display, _time.GetUtcNow());
        }

        return Fail(ErrorCodes.UsernameTaken, "The username is taken: sign in with its password or token.");
    }

    /// <summary>
    /// Creates the account <paramref name="username"/> with the admin role when it does not exist, or sets
    /// the admin's password hash to <paramref name="password"/> (revoking old tokens) when it no longer
    /// matches; returns the account that stands.
    /// </summary>
    public async Task<UserAccount> EnsureAdminAsync(string username, string password, CancellationToken ct)
    {
        var name = IdentityRules.NormalizeUsername(username) ?? throw new ArgumentException("Invalid admin username.", nameof(username));
        while (true)
        {
            if (await _store.FindByNameAsync(name, ct) is { } existing)
            {
                if (existing.Role != RemateRoles.Admin
                    || (existing.PasswordHash is { } hash && _hasher.VerifyHashedPassword(existing, hash, password) != PasswordVerificationResult.Failed))
                {
                    return existing;
                }

                var updated = existing with { PasswordHash = _hasher.HashPassword(null!, password), SecurityStamp = UserAccount.NewSecurityStamp() };
                if (await _store.TryUpdateAsync(updated, existing.SecurityStamp, ct))
                {
                    Forget(existing.Id);
                    return updated;
                }

                continue;
            }

            var admin = new UserAccount(UserId.New(), name, "Admin", _hasher.HashPassword(null!, password), RemateRoles.Admin, _time.GetUtcNow());
            if (await _store.TryAddAsync(admin, ct))
            {
                return admin;
            }
        }
    }

    /// <summary>Revokes every token of <paramref name="user"/> (a new security stamp); false when the account is not ours.</summary>
    public async Task<bool> LogoutAsync(RemateUser user, CancellationToken ct)
    {
        while (await _store.FindByIdAsync(user.Id, ct) is { } account)
        {
            if (await _store.TryUpdateAsync(account with { SecurityStamp = UserAccount.NewSecurityStamp() }, account.SecurityStamp, ct))
            {
                Forget(account.Id);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Sets a new password (the current one is required when the account has one), revokes every older
    /// token and returns a fresh one. Errors: <c>VALIDATION_FAILED</c>, <c>NOT_AUTHENTICATED</c>,
    /// <c>RATE_LIMITED</c>.
    /// </summary>
    public async Task<SignInResult> ChangePasswordAsync(RemateUser user, string? currentPassword, string? newPassword, IPAddress? clientAddress, CancellationToken ct)
    {
        if (newPassword is null || newPassword.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            return Fail(ErrorCodes.ValidationFailed, $"new_password must have {MinPasswordLength} to {MaxPasswordLength} characters.");
        }

        while (true)
        {
            if (await _store.FindByIdAsync(user.Id, ct) is not { } account)
            {
                return Fail(ErrorCodes.NotAuthenticated, "Only accounts signed in with Remate Live can change their password here.");
            }

            if (account.PasswordHash is not null && await CheckPasswordAsync(account, currentPassword ?? "", clientAddress, ct) is { } failure)
            {
                return failure.Error!.Code == ErrorCodes.RateLimited ? failure : Fail(ErrorCodes.NotAuthenticated, "current_password is wrong.");
            }

            var updated = account with { PasswordHash = _hasher.HashPassword(null!, newPassword), SecurityStamp = UserAccount.NewSecurityStamp() };
            if (await _store.TryUpdateAsync(updated, account.SecurityStamp, ct))
            {
                Forget(account.Id);
                return Issue(updated, user.DisplayName, _time.GetUtcNow());
            }
        }
    }

    /// <summary>The user a token was issued for, or null when it is missing, forged, expired or revoked.</summary>
    public async Task<RemateUser?> ValidateTokenAsync(string? token, CancellationToken ct) =>
        await ReadTokenAsync(token, ct) is { } read ? ToUser(read.Account, read.DisplayName) : null;

    /// <summary>
    /// Whether the session <paramref name="user"/> signed in with has been revoked since (logout, password
    /// change, account gone); long-lived connections check it per bid. Host identities are never revoked here.
    /// </summary>
    public async Task<bool> IsRevokedAsync(RemateUser user, CancellationToken ct)
    {
        if (user.SecurityStamp is not { } stamp)
        {
            return false;
        }

        var account = await FindCachedAsync(user.Id, ct);
        return account is null || !string.Equals(account.SecurityStamp, stamp, StringComparison.Ordinal);
    }

    /// <summary>Deletes the passwordless accounts whose every token has expired; returns how many.</summary>
    public Task<int> DeleteUnclaimedAsync(CancellationToken ct) => _store.DeleteUnclaimedAsync(UnclaimedCutOff(), ct);

    private DateTimeOffset UnclaimedCutOff() => _time.GetUtcNow() - Options.SessionLifetime;

    private bool IsUnclaimed(UserAccount account) => account.PasswordHash is null && account.CreatedAt < UnclaimedCutOff();

    // One password check: charged to the limits first, then verified; null when it succeeded.
    private async Task<SignInResult?> CheckPasswordAsync(UserAccount account, string password, IPAddress? clientAddress, CancellationToken ct)
    {
        if (await ThrottleAsync(clientAddress, account.Username, ct) is { } limited)
        {
            return limited;
        }

        if (account.PasswordHash is { } stored && _hasher.VerifyHashedPassword(account, stored, password) != PasswordVerificationResult.Failed)
        {
            _backoff.Succeeded(account.Username);
            return null;
        }

        _backoff.Failed(account.Username);
        return Fail(ErrorCodes.UsernameTaken, "The username is taken: sign in with its password or token.");
    }

    private async Task<SignInResult?> ThrottleAsync(IPAddress? clientAddress, string username, CancellationToken ct)
    {
        var wait = _backoff.RetryAfter(username);
        if (wait <= TimeSpan.Zero)
        {
            var decision = await _limits.ForPasswordCheckAsync(clientAddress, username, ct);
            wait = decision.Allowed ? TimeSpan.Zero : decision.RetryAfter;
        }

        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        var seconds = (long)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
        return new SignInResult(null, null, new DomainError(ErrorCodes.RateLimited, $"Too many password attempts; retry after {seconds} s."), wait);
    }

    private async Task<TokenContent?> ReadTokenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        string[]? parts;
        try
        {
            parts = JsonSerializer.Deserialize<string[]>(_protector.Unprotect(token, out _));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null; // forged, corrupted or expired
        }

        if (parts is not [var id, var display, var stamp, var started]
            || !UserId.TryParse(id, out var userId)
            || !long.TryParse(started, NumberStyles.None, CultureInfo.InvariantCulture, out var startedSeconds))
        {
            return null;
        }

        var sessionStart = DateTimeOffset.FromUnixTimeSeconds(startedSeconds);
        if (sessionStart + Options.SessionLifetime <= _time.GetUtcNow())
        {
            return null;
        }

        var account = await FindCachedAsync(userId, ct);
        return account is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(account.SecurityStamp), Encoding.UTF8.GetBytes(stamp))
            ? new TokenContent(account, display, sessionStart)
            : null;
    }

    // Stamps are read from the store at most once per SecurityStampCacheDuration per account on this node.
    private async Task<UserAccount?> FindCachedAsync(UserId id, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_accounts.TryGetValue(id, out var cached) && cached.FetchedAt + Options.SecurityStampCacheDuration > now)
        {
            return cached.Account;
        }

        var account = await _store.FindByIdAsync(id, ct);
        if (_accounts.Count >= CacheLimit)
        {
            _accounts.Clear();
        }

        _accounts[id] = new CachedAccount(account, now);
        return account;
    }

    private void Forget(UserId id) => _accounts.TryRemove(id, out _);

    private SignInResult Issue(UserAccount account, string? displayName, DateTimeOffset sessionStart)
    {
        var display = displayName ?? account.DisplayName;
        var started = DateTimeOffset.FromUnixTimeSeconds(sessionStart.ToUnixTimeSeconds());
        var expires = Min(_time.GetUtcNow() + Options.TokenLifetime, started + Options.SessionLifetime);
        var payload = JsonSerializer.Serialize(new[]
        {
            account.Id.ToString(), display, account.SecurityStamp, started.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        });
        return new SignInResult(ToUser(account, display), _protector.Protect(payload, expires), null);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static RemateUser ToUser(UserAccount account, string display) => new(account.Id, account.Username, display, account.Role, account.SecurityStamp);

    private static SignInResult Fail(string code, string message) => new(null, null, new DomainError(code, message));

    private sealed record TokenContent(UserAccount Account, string DisplayName, DateTimeOffset SessionStart);

    private sealed record CachedAccount(UserAccount? Account, DateTimeOffset FetchedAt);

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
        var stamp = identity.AuthenticationType == RemateAuthentication.Scheme ? principal.FindFirstValue(SecurityStampClaim) : null;
        return new RemateUser(id, username, IdentityRules.NormalizeDisplayName(display) ?? username, role, stamp);
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
                .. user.SecurityStamp is { } stamp ? [new Claim(SecurityStampClaim, stamp)] : Array.Empty<Claim>(),
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
}

using System.Text.RegularExpressions;

namespace RemateLive.AspNetCore.Identity;

/// <summary>The spec's rules for usernames (3–32 of <c>[a-z0-9_.-]</c>, case-insensitive) and display names (1–64 printable).</summary>
internal static partial class IdentityRules
{
    public const int MaxDisplayName = 64;

    /// <summary>The canonical (lower-case) username, or null when it breaks the rules.</summary>
    public static string? NormalizeUsername(string? username)
    {
        if (username is null)
        {
            return null;
        }

        var lower = username.Trim().ToLowerInvariant();
        return UsernamePattern().IsMatch(lower) ? lower : null;
    }

    /// <summary>The trimmed display name, or null when it is empty, too long or holds control characters.</summary>
    public static string? NormalizeDisplayName(string? displayName)
    {
        var trimmed = displayName?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxDisplayName || trimmed.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? null
            : trimmed;
    }

    /// <summary>Field errors (snake_case names) for a sign-in request; empty when valid. A missing display name is allowed (the username is used).</summary>
    public static Dictionary<string, string[]> Validate(string? username, string? displayName)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (NormalizeUsername(username) is null)
        {
            errors["username"] = ["username must have 3 to 32 characters of a-z, 0-9, '_', '.' or '-'."];
        }

        if (displayName is not null && NormalizeDisplayName(displayName) is null)
        {
            errors["display_name"] = [$"display_name must have 1 to {MaxDisplayName} printable characters."];
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9_.-]{3,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}

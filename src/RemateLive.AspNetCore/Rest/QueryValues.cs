using System.Globalization;

namespace RemateLive.AspNetCore.Rest;

/// <summary>Whole-number query parameters, read strictly and reported by name as validation errors.</summary>
internal static class QueryValues
{
    /// <summary>
    /// <paramref name="text"/> as a whole number in [<paramref name="min"/>, <paramref name="max"/>];
    /// <paramref name="fallback"/> when absent; otherwise records an error under <paramref name="name"/>.
    /// </summary>
    public static long Parse(string? text, string name, long fallback, long min, long max, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [max == long.MaxValue ? $"{name} must be a whole number ≥ {min}." : $"{name} must be a whole number between {min} and {max}."];
        return fallback;
    }
}

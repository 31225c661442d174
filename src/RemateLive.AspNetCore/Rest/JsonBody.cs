using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RemateLive.AspNetCore.Rest;

/// <summary>
/// Reads a JSON request body with <see cref="WireJson.Options"/> and turns a type mismatch into a field
/// error (<c>amount_cents</c> rather than "bad request"), since minimal-API binding would only say 400.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext context, bool optional = false)
        where T : class
    {
        if (context.Request.ContentLength == 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0))
        {
            return optional ? (null, null) : (null, Problems.Validation("body", "A JSON object body is required."));
        }

        if (context.Request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Validation("body", "The body must be JSON (Content-Type: application/json)."));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, WireJson.Options, context.RequestAborted);
            return body is null
                ? (null, Problems.Validation("body", "A JSON object body is required."))
                : (body, null);
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path);
            var message = field == "body"
                ? "The body is not a valid JSON object."
                : $"{field} has the wrong type or is out of range (amounts are whole numbers of cents).";
            return (null, Problems.Validation(field, message));
        }
    }

    // "$.increment.tiers[1].from_cents" → "increment.tiers[1].from_cents"; "$" → "body".
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}

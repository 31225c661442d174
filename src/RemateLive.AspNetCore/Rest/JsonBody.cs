using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RemateLive.Domain;

namespace RemateLive.AspNetCore.Rest;

/// <summary>
/// Reads a JSON request body with <see cref="WireJson.Options"/> and turns a type mismatch into a field
/// error (<c>amount_cents</c> rather than "bad request"), since minimal-API binding would only say 400.
/// Only <c>application/json</c> is accepted (else 415), and a body over <see cref="MaxBytes"/> is refused
/// with 413 before any of it is parsed.
/// </summary>
internal static class JsonBody
{
    /// <summary>The largest accepted request body (every REST request is a small object).</summary>
    public const int MaxBytes = 16 * 1024;

    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext context, bool optional = false)
        where T : class
    {
        if (context.Request.ContentLength == 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count == 0))
        {
            return optional ? (null, null) : (null, Problems.Validation("body", "A JSON object body is required."));
        }

        if (!IsJson(context.Request.ContentType))
        {
            return (null, Problems.Error(ErrorCodes.InvalidMessage, "The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType));
        }

        if (context.Request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            // Read at most MaxBytes + 1 (a chunked body has no length to check first).
            var count = 0;
            int read;
            while (count <= MaxBytes && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(count, MaxBytes + 1 - count), context.RequestAborted)) > 0)
            {
                count += read;
            }

            if (count > MaxBytes)
            {
                return (null, TooLarge());
            }

            var body = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, count), WireJson.Options);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Strict: application/json (any charset parameter must be utf-8) or a +json suffix type.
    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return false;
        }

        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        return json && (media.Charset.Value is not { } charset || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    private static IResult TooLarge() =>
        Problems.Error(ErrorCodes.InvalidMessage, $"The body is larger than {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    // "$.increment.tiers[1].from_cents" → "increment.tiers[1].from_cents"; "$" → "body".
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}

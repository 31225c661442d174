using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace RemateLive.AspNetCore.Rest;

/// <summary>
/// A JSON response written with <see cref="WireJson.Options"/>, never the host's HTTP JSON options: a host
/// may keep camelCase (or any other settings) for its own endpoints while ours stay snake_case.
/// </summary>
internal sealed class WireJsonResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult
{
    private const string Json = "application/json; charset=utf-8";
    private const string ProblemJson = "application/problem+json; charset=utf-8";

    private readonly string? _location;

    private WireJsonResult(object value, int statusCode, string contentType, string? location)
    {
        Value = value;
        StatusCode = statusCode;
        ContentType = contentType;
        _location = location;
    }

    public object Value { get; }

    public int StatusCode { get; }

    public string ContentType { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    object? IValueHttpResult.Value => Value;

    public static WireJsonResult Ok(object value) => new(value, StatusCodes.Status200OK, Json, null);

    public static WireJsonResult Created(string location, object value) => new(value, StatusCodes.Status201Created, Json, location);

    public static WireJsonResult Status(int statusCode, object value) => new(value, statusCode, Json, null);

    /// <summary>A problem whose defaults (type, title) are already applied.</summary>
    public static WireJsonResult Problem(ProblemDetails problem) =>
        new(problem, problem.Status ?? StatusCodes.Status500InternalServerError, ProblemJson, null);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Value is ProblemDetails problem)
        {
            // What ASP.NET Core's problem writer adds, so a problem can be matched with the request's trace.
            problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? httpContext.TraceIdentifier);
        }

        httpContext.Response.StatusCode = StatusCode;
        if (_location is not null)
        {
            httpContext.Response.Headers.Location = _location;
        }

        return httpContext.Response.WriteAsJsonAsync(Value, Value.GetType(), WireJson.Options, ContentType, httpContext.RequestAborted);
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace RemateLive.AspNetCore.Tests.Infrastructure;

/// <summary>Asserts the RFC 9457 problem details shape with the spec's <c>code</c> extension.</summary>
public static class ProblemAssert
{
    public static async Task<JsonNode> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(code, problem["code"]?.GetValue<string>());
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        return problem;
    }

    /// <summary>A 400 VALIDATION_FAILED naming <paramref name="fields"/> in <c>errors</c>.</summary>
    public static async Task<JsonNode> IsValidationAsync(HttpResponseMessage response, params string[] fields)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var errors = problem["errors"]?.AsObject();
        Assert.NotNull(errors);
        foreach (var field in fields)
        {
            Assert.True(errors!.ContainsKey(field), $"expected an error for '{field}', got: {errors.ToJsonString()}");
        }

        return problem;
    }
}

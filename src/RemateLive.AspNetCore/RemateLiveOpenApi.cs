namespace RemateLive;

/// <summary>
/// Remate Live's OpenAPI document. It is registered under its own name, so a host's own
/// <c>AddOpenApi()</c> (document <c>v1</c>) keeps its endpoints and settings, and ours are described in
/// ours only.
/// </summary>
public static class RemateLiveOpenApi
{
    /// <summary>The document name: <c>remate-live</c>.</summary>
    public const string DocumentName = "remate-live";

    /// <summary>Where <c>MapRemateLive()</c> serves the document by default (<c>RemateLive:Routes:OpenApi</c>).</summary>
    public const string DefaultRoute = "/openapi/" + DocumentName + ".json";

    /// <summary>The name of the bearer security scheme in the document.</summary>
    public const string SecuritySchemeName = "bearer";
}

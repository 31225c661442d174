using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RemateLive.AspNetCore.Identity;
using Microsoft.OpenApi;

namespace RemateLive.AspNetCore.Rest;

/// <summary>
/// Our OpenAPI document (<see cref="RemateLiveOpenApi.DocumentName"/>): only our endpoints (they carry its
/// group name), schemas named as <see cref="WireJson"/> writes them whatever the host's HTTP JSON options
/// are, and a bearer security scheme on every operation that needs a signed-in user.
/// </summary>
internal static class OpenApiDocument
{
    public static void Add(IServiceCollection services)
    {
        services.AddOpenApi(RemateLiveOpenApi.DocumentName, o =>
        {
            o.ShouldInclude = d => d.GroupName == RemateLiveOpenApi.DocumentName;
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "Remate Live API";
                doc.Info.Description = "Live auctions: REST API. Real-time updates use the native WebSocket endpoint or the SignalR hub (see docs/protocol.md).";
                doc.Components ??= new OpenApiComponents();
                foreach (var (name, schema) in doc.Components.Schemas ?? new Dictionary<string, IOpenApiSchema>())
                {
                    WireSchema.StrictNumbers(schema);
                    WireSchema.SnakeCaseLeftovers(schema);
                    WireSchema.EnumLeftover(name, schema);
                }

                doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                doc.Components.SecuritySchemes[RemateLiveOpenApi.SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A token from POST /api/auth/login (Authorization: Bearer <token>).",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                // Derived, not declared twice: an endpoint that can answer 401 and is not anonymous needs a bearer token.
                var signInRequired = context.Description.SupportedResponseTypes.Any(r => r.StatusCode == StatusCodes.Status401Unauthorized)
                    && !context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
                if (!signInRequired)
                {
                    return Task.CompletedTask;
                }

                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(RemateLiveOpenApi.SecuritySchemeName, context.Document)] = [],
                });
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                WireSchema.Apply(schema, context.JsonTypeInfo);
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>
    /// Serves the document at <paramref name="route"/>. <c>MapOpenApi()</c> takes the document name from a
    /// <c>{documentName}</c> route value; our route is a literal, so we ask for our document by name.
    /// </summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder group, string route) =>
        group.MapGet(route, async (HttpContext context, IOptionsMonitor<OpenApiOptions> options) =>
        {
            var provider = context.RequestServices.GetRequiredKeyedService<IOpenApiDocumentProvider>(RemateLiveOpenApi.DocumentName);
            var document = await provider.GetOpenApiDocumentAsync(context.RequestAborted);
            // The OpenAPI writer is synchronous: buffer, then send asynchronously (servers refuse synchronous IO).
            using var buffer = new MemoryStream();
            await document.SerializeAsJsonAsync(buffer, options.Get(RemateLiveOpenApi.DocumentName).OpenApiVersion, context.RequestAborted);
            context.Response.ContentType = "application/json;charset=utf-8";
            await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
        }).ExcludeFromDescription();

    /// <summary>Rewrites a schema generated with the host's JSON options into our wire contract.</summary>
    private static class WireSchema
    {
        public static void Apply(OpenApiSchema schema, JsonTypeInfo host)
        {
            var type = Nullable.GetUnderlyingType(host.Type) ?? host.Type;
            if (type.IsEnum)
            {
                // Enums are snake_case strings on the wire (the host may write numbers).
                schema.Type = JsonSchemaType.String | (schema.Type is { } t && t.HasFlag(JsonSchemaType.Null) ? JsonSchemaType.Null : 0);
                schema.Format = null;
                schema.Enum = [.. Enum.GetValues(type).Cast<object>().Select(v => JsonNode.Parse(JsonSerializer.Serialize(v, type, WireJson.Options))!)];
                return;
            }

            var ours = WireJson.Options.GetTypeInfo(type);
            if (ours.Kind == JsonTypeInfoKind.None && host.Kind == JsonTypeInfoKind.Object && type.IsValueType)
            {
                // A value type with our converter (ids as strings, money as cents): its JSON kind, not its fields.
                var sample = JsonSerializer.SerializeToElement(Activator.CreateInstance(type), type, WireJson.Options);
                schema.Type = sample.ValueKind == JsonValueKind.Number ? JsonSchemaType.Integer : JsonSchemaType.String;
                schema.Properties = null;
                schema.Required = null;
                return;
            }

            if (ours.Kind != JsonTypeInfoKind.Object || host.Kind != JsonTypeInfoKind.Object || schema.Properties is not { Count: > 0 } properties)
            {
                return;
            }

            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var hostProperty in host.Properties)
            {
                if (MemberName(hostProperty) is { } member && ours.Properties.FirstOrDefault(p => MemberName(p) == member) is { } ourProperty)
                {
                    names[hostProperty.Name] = ourProperty.Name;
                }
            }

            schema.Properties = properties.ToDictionary(p => names.GetValueOrDefault(p.Key, p.Key), p => p.Value, StringComparer.Ordinal);
            if (schema.Required is { Count: > 0 } required)
            {
                schema.Required = required.Select(r => names.GetValueOrDefault(r, r)).ToHashSet(StringComparer.Ordinal);
            }
        }

        /// <summary>
        /// Renames properties still in the host's naming: the framework does not call schema transformers for every
        /// nested component (a request object reached only through one nullable property was seen skipped), and
        /// every name on our wire comes from our snake_case policy.
        /// </summary>
        public static void SnakeCaseLeftovers(IOpenApiSchema schema)
        {
            if (schema is not OpenApiSchema { Properties: { Count: > 0 } properties } s || !properties.Keys.Any(k => k.Any(char.IsUpper)))
            {
                return;
            }

            var policy = WireJson.Options.PropertyNamingPolicy!;
            s.Properties = properties.ToDictionary(p => policy.ConvertName(p.Key), p => p.Value, StringComparer.Ordinal);
            if (s.Required is { Count: > 0 } required)
            {
                s.Required = required.Select(policy.ConvertName).ToHashSet(StringComparer.Ordinal);
            }
        }

        // Our enums by name: the same skip leaves an enum reached only through a nullable property as the host's integer.
        private static readonly Dictionary<string, Type> Enums = typeof(Domain.AuctionStatus).Assembly.GetExportedTypes()
            .Where(t => t.IsEnum).ToDictionary(t => t.Name, StringComparer.Ordinal);

        /// <summary>Rewrites a component named after one of our enums into its snake_case strings.</summary>
        public static void EnumLeftover(string name, IOpenApiSchema schema)
        {
            if (schema is OpenApiSchema s && Enums.TryGetValue(name, out var type) && s.Type is { } t && !t.HasFlag(JsonSchemaType.String))
            {
                s.Type = JsonSchemaType.String | (t.HasFlag(JsonSchemaType.Null) ? JsonSchemaType.Null : 0);
                s.Format = null;
                s.Enum = [.. Enum.GetValues(type).Cast<object>().Select(v => JsonNode.Parse(JsonSerializer.Serialize(v, type, WireJson.Options))!)];
            }
        }

        /// <summary>Our numbers are strict (a string is refused), whatever the host's NumberHandling says.</summary>
        public static void StrictNumbers(IOpenApiSchema schema)
        {
            if (schema is not OpenApiSchema s)
            {
                return;
            }

            // An id (a record struct around a Guid) seen through the host's options: a uuid string on our wire.
            if (s.Properties is { Count: 1 } only && only.TryGetValue("value", out var inner) && inner.Format == "uuid")
            {
                s.Properties = null;
                s.Required = null;
                s.Type = JsonSchemaType.String;
                s.Format = "uuid";
                return;
            }

            if (s.Type is { } t && t.HasFlag(JsonSchemaType.String) && (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)))
            {
                s.Type = t & ~JsonSchemaType.String;
                s.Pattern = null;
            }

            foreach (var property in s.Properties?.Values ?? [])
            {
                StrictNumbers(property);
            }

            if (s.Items is { } items)
            {
                StrictNumbers(items);
            }
        }

        private static string? MemberName(JsonPropertyInfo property) => (property.AttributeProvider as MemberInfo)?.Name;
    }
}

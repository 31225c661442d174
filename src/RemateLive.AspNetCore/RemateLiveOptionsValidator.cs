using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore;

/// <summary>
/// Validates every section of <see cref="RemateLiveOptions"/> (data annotations of the nested objects plus
/// rules annotations cannot express) so a bad setting stops start-up with a message naming the key.
/// </summary>
internal sealed class RemateLiveOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<RemateLiveOptions>
{
    public ValidateOptionsResult Validate(string? name, RemateLiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Annotations(options.Realtime, "Realtime", failures);
        Annotations(options.RateLimits, "RateLimits", failures);
        Annotations(options.Kestrel, "Kestrel", failures);
        Annotations(options.Admin, "Admin", failures);

        var routes = options.Routes;
        foreach (var (key, value) in new[]
        {
            ("Api", routes.Api), ("WebSocket", routes.WebSocket), ("Hub", routes.Hub),
            ("Health", routes.Health), ("OpenApi", routes.OpenApi), ("Docs", routes.Docs),
        })
        {
            if (string.IsNullOrWhiteSpace(value) || !value.StartsWith('/'))
            {
                failures.Add($"RemateLive:Routes:{key} must be a path starting with '/' (got '{value}').");
            }
        }

        if (routes.WebSocket is not null && !routes.WebSocket.Contains("{auction_id}", StringComparison.Ordinal))
        {
            failures.Add("RemateLive:Routes:WebSocket must contain the '{auction_id}' route parameter.");
        }

        Positive(options.Realtime.PingInterval, "Realtime:PingInterval", failures);
        Positive(options.Realtime.AuthTimeout, "Realtime:AuthTimeout", failures);
        Positive(options.Realtime.PresenceCoalesceInterval, "Realtime:PresenceCoalesceInterval", failures);
        Positive(options.Identity.TokenLifetime, "Identity:TokenLifetime", failures);
        Positive(options.Identity.SessionLifetime, "Identity:SessionLifetime", failures);
        Positive(options.Identity.SecurityStampCacheDuration, "Identity:SecurityStampCacheDuration", failures);
        Positive(options.Identity.UnclaimedAccountSweepInterval, "Identity:UnclaimedAccountSweepInterval", failures);
        Positive(options.RateLimits.MaxBackoff, "RateLimits:MaxBackoff", failures);
        if (environment is not null && !environment.IsDevelopment()
            && string.Equals(options.Admin.Password, RemateLiveOptions.AdminOptions.DevelopmentPassword, StringComparison.Ordinal))
        {
            failures.Add($"RemateLive:Admin:Password is the public development password; outside Development (environment '{environment.EnvironmentName}') set a secret of your own.");
        }

        foreach (var origin in options.Realtime.AllowedOrigins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"))
            {
                failures.Add($"RemateLive:Realtime:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port]) or '*'.");
            }
        }
        if (string.IsNullOrWhiteSpace(options.Identity.AdminPolicy))
        {
            failures.Add("RemateLive:Identity:AdminPolicy must name an authorization policy.");
        }

        var bidding = options.Bidding;
        if (bidding.MaxAmountCents is <= 0 or > Domain.Money.DefaultCeilingCents * 100)
        {
            failures.Add($"RemateLive:Bidding:MaxAmountCents must be between 1 and {Domain.Money.DefaultCeilingCents * 100}.");
        }

        if (bidding.MaxCommitAttempts is < 1 or > 1000)
        {
            failures.Add("RemateLive:Bidding:MaxCommitAttempts must be between 1 and 1000.");
        }

        if (bidding.MaxIdempotencyKeyLength is < 1 or > 1024)
        {
            failures.Add("RemateLive:Bidding:MaxIdempotencyKeyLength must be between 1 and 1024.");
        }

        if (bidding.WriterQueueCapacity is < 1 or > 100_000)
        {
            failures.Add("RemateLive:Bidding:WriterQueueCapacity must be between 1 and 100000.");
        }

        if (bidding.MaxBatchSize is < 1 or > 10_000)
        {
            failures.Add("RemateLive:Bidding:MaxBatchSize must be between 1 and 10000.");
        }

        Positive(bidding.WriterIdleTimeout, "Bidding:WriterIdleTimeout", failures);
        Positive(bidding.OutcomePruneInterval, "Bidding:OutcomePruneInterval", failures);
        if (bidding.OutcomeRetention < TimeSpan.FromMinutes(10))
        {
            failures.Add("RemateLive:Bidding:OutcomeRetention must be at least 10 minutes: a retried bid must get its first outcome.");
        }
        Positive(bidding.CloserInterval, "Bidding:CloserInterval", failures);
        Positive(bidding.GapCheckInterval, "Bidding:GapCheckInterval", failures);

        if (options.Kestrel.MaxConcurrentUpgradedConnections > options.Kestrel.MaxConcurrentConnections)
        {
            failures.Add("RemateLive:Kestrel:MaxConcurrentUpgradedConnections must not exceed MaxConcurrentConnections.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Annotations(object section, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r =>
                $"RemateLive:{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }

    private static void Positive(TimeSpan value, string key, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"RemateLive:{key} must be a positive duration (got '{value}').");
        }
    }
}

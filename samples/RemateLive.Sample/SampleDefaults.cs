using Microsoft.Extensions.Options;
using RemateLive;

namespace RemateLive.Sample;

/// <summary>The sample's development conveniences, and the refusal to run with them anywhere else.</summary>
internal static class SampleDefaults
{
    /// <summary>Used in Development when <c>RemateLive:Admin:Password</c> is not set; logged as a warning at start-up.</summary>
    public const string DevelopmentAdminPassword = RemateLiveOptions.AdminOptions.DevelopmentPassword;

    /// <summary>
    /// In Development, gives the seeded admin a password when configuration has none. Elsewhere the host
    /// refuses to start without one (the library itself refuses the development password outside Development).
    /// </summary>
    public static void AddAdminPasswordRule(this RemateLiveBuilder remate, IHostEnvironment environment)
    {
        var options = remate.Services.AddOptions<RemateLiveOptions>();
        if (environment.IsDevelopment())
        {
            options.Configure(o =>
            {
                if (string.IsNullOrEmpty(o.Admin.Password))
                {
                    o.Admin.Password = DevelopmentAdminPassword;
                }
            });
            return;
        }

        options.Validate(
            o => !string.IsNullOrEmpty(o.Admin.Password),
            $"RemateLive:Admin:Password is not set. Outside Development (environment '{environment.EnvironmentName}') the sample host needs an admin " +
            "password of your own: set RemateLive__Admin__Password (environment) or RemateLive:Admin:Password (configuration).");
    }
}

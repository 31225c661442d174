using RemateLive;

namespace RemateLive.Sample;

/// <summary>The sample's development conveniences.</summary>
internal static class SampleDefaults
{
    /// <summary>Used when <c>RemateLive:Admin:Password</c> is not set; logged as a warning at start-up.</summary>
    public const string DevelopmentAdminPassword = "remate-admin-dev";

    /// <summary>Gives the seeded admin a password when configuration has none.</summary>
    public static void Apply(RemateLiveOptions options)
    {
        if (string.IsNullOrEmpty(options.Admin.Password))
        {
            options.Admin.Password = DevelopmentAdminPassword;
        }
    }
}

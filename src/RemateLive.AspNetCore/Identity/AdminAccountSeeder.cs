using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RemateLive.AspNetCore.Identity;

/// <summary>Creates the admin account at start-up when <c>RemateLive:Admin:Password</c> is set and the account does not exist.</summary>
internal sealed partial class AdminAccountSeeder(RemateIdentity identity, IOptions<RemateLiveOptions> options, ILogger<AdminAccountSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value.Admin;
        if (string.IsNullOrEmpty(admin.Password))
        {
            return;
        }

        var account = await identity.EnsureAdminAsync(admin.Username, admin.Password, cancellationToken);
        if (account.Role != RemateRoles.Admin)
        {
            LogNotAdmin(logger, account.Username);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The configured admin username '{Username}' belongs to an existing non-admin account; no admin was created.")]
    private static partial void LogNotAdmin(ILogger logger, string username);
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RemateLive.AspNetCore.Tests.Infrastructure;
using RemateLive.InMemory;
using RemateLive.Ports;

namespace RemateLive.AspNetCore.Tests.Security;

/// <summary>Issue #11 item 1: no default admin secret outside Development; a changed admin password takes effect at start.</summary>
public sealed class AdminSecretTests
{
    [Fact]
    public void Outside_Development_the_sample_refuses_to_start_without_an_admin_password()
    {
        using var factory = new HostIn("Production", password: "");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("RemateLive:Admin:Password is not set", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_development_password_is_refused()
    {
        using var factory = new HostIn("Production", password: RemateLiveOptions.AdminOptions.DevelopmentPassword);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("public development password", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_the_development_password_still_works()
    {
        await using var factory = new HostIn("Development", password: "");
        using var client = factory.CreateClient();

        var login = await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = RemateLiveOptions.AdminOptions.DevelopmentPassword });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_changed_admin_password_replaces_the_stored_one_at_the_next_start()
    {
        var users = new InMemoryUserStore(); // survives the "restart", like a database
        await using (var first = new HostIn("Production", "first-secret-password", users))
        {
            using var client = first.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "first-secret-password" })).StatusCode);
        }

        await using var second = new HostIn("Production", "second-secret-password", users);
        using var again = second.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "first-secret-password" })).StatusCode);
        var login = await again.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "second-secret-password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("admin", (await RemateAppFactory.ReadJsonAsync(login))["role"]!.GetValue<string>());
    }

    private static string Flatten(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    text.AppendLine(inner.Message);
                }
            }
        }

        return text.ToString();
    }

    private sealed class HostIn(string environment, string password, IUserStore? users = null) : RemateAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            builder.UseSetting("RemateLive:Admin:Password", password);
            if (users is not null)
            {
                builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(users)));
            }
        }
    }
}

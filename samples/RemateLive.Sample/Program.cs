using RemateLive;
using RemateLive.Sample;

var builder = WebApplication.CreateBuilder(args);
if (args.Contains("--print-migrations"))
{
    // For a DBA who applies the schema by hand: the SQL ApplyMigrationsOnStartup() would run.
    Console.Write(RemateLive.Postgres.PostgresMigrations.Script(builder.Configuration["RemateLive:Postgres:Schema"] ?? "remate"));
    return;
}

var remate = builder.Services.AddRemateLive().ConfigureKestrelLimits(); // this host serves auctions only: it may size Kestrel
remate.AddAdminPasswordRule(builder.Environment);
if (builder.Configuration["RemateLive:Postgres:ConnectionString"] is { Length: > 0 }) remate.UsePostgres(builder.Configuration.GetSection("RemateLive:Postgres")).ApplyMigrationsOnStartup();
if (builder.Configuration["RemateLive:Redis:Configuration"] is { Length: > 0 }) remate.UseRedis(builder.Configuration.GetSection("RemateLive:Redis"));
builder.Services.AddHostedService<DemoDataSeeder>();
builder.AddSampleTelemetry(); // traces + metrics over OTLP, only when OpenTelemetry:Endpoint / OTEL_EXPORTER_OTLP_ENDPOINT is set

var app = builder.Build();
app.UseSecurityHeaders(app.Configuration["RemateLive:Routes:Docs"] ?? "/docs");
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapRemateLive();
app.MapClientApp();
app.PrintUrlsOnStart();
app.Run();

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;

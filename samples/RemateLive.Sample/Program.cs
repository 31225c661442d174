using RemateLive;
using RemateLive.Sample;

var builder = WebApplication.CreateBuilder(args);

var remate = builder.Services.AddRemateLive().ConfigureKestrelLimits(); // this host serves auctions only: it may size Kestrel
remate.AddAdminPasswordRule(builder.Environment);
if (builder.Configuration["RemateLive:Postgres:ConnectionString"] is { Length: > 0 } pg) remate.UsePostgres(pg);
if (builder.Configuration["RemateLive:Redis:Configuration"] is { Length: > 0 } redis) remate.UseRedis(redis);
builder.Services.AddHostedService<DemoDataSeeder>();

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

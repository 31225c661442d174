using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace RemateLive.Sample;

/// <summary>Serves the React UI (built into wwwroot/ by ClientApp/ClientApp.targets), or a minimal page until it is built.</summary>
internal static class ClientAppEndpoints
{
    public static void MapClientApp(this WebApplication app)
    {
        if (app.Environment.WebRootFileProvider.GetFileInfo("index.html").Exists)
        {
            // Client-side routes (/auctions/…) load the SPA.
            app.MapFallbackToFile("index.html");
            return;
        }

        app.MapGet("/", () => Results.Content(MinimalPage, "text/html; charset=utf-8")).ExcludeFromDescription();
        // A separate file, not inline: the Content-Security-Policy allows scripts from this origin only.
        app.MapGet("/minimal-page.js", () => Results.Content(MinimalPageScript, "text/javascript; charset=utf-8")).ExcludeFromDescription();
    }

    /// <summary>Prints where the sample listens once Kestrel has bound its addresses.</summary>
    public static void PrintUrlsOnStart(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is { Count: > 0 })
            {
                Console.WriteLine($"Remate Live sample is running at {string.Join(", ", addresses)} (API reference: /docs, health: /health)");
            }
        });

    private const string MinimalPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Remate Live</title>
        <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}li{margin:.4rem 0}</style></head>
        <body>
        <h1>Remate Live</h1>
        <p>The React UI is not built (it builds with the project when Node.js is installed). Meanwhile:</p>
        <ul>
          <li><a href="/docs">API reference</a> · <a href="/openapi/remate-live.json">OpenAPI document</a> · <a href="/health">health</a></li>
        </ul>
        <h2>Auctions</h2>
        <ul id="auctions"><li>Loading…</li></ul>
        <script src="/minimal-page.js"></script>
        </body>
        </html>
        """;

    private const string MinimalPageScript = """
        fetch('/api/auctions').then(r => r.json()).then(list => {
          const ul = document.getElementById('auctions');
          ul.textContent = '';
          for (const a of list) {
            const li = document.createElement('li');
            li.textContent = `${a.title} — ${a.status}, ${a.currency} ${(a.current_price_cents / 100).toFixed(2)} (${a.bid_count} bids, ends ${a.ends_at})`;
            ul.appendChild(li);
          }
          if (!list.length) ul.textContent = 'No auctions.';
        });
        """;
}

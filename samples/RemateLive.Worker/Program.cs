using Microsoft.Extensions.Hosting;
using RemateLive.Worker;

// A worker host next to the web nodes: it shares their PostgreSQL database, closes due auctions like any
// node (compare-and-set, so never twice) and records a settlement for every auction won.
var builder = Host.CreateApplicationBuilder(args);
builder.AddSettlementWorker();
await builder.Build().RunAsync();

using Microsoft.Extensions.Diagnostics.HealthChecks;
using RemateLive.Feed;

namespace RemateLive.AspNetCore.Diagnostics;

/// <summary>Reports this node as up, with its feed's node id (adapters add checks for their own dependencies).</summary>
internal sealed class RemateLiveHealthCheck(AuctionFeed feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy("Remate Live is running.", new Dictionary<string, object> { ["node_id"] = feed.NodeId }));
}

namespace RemateLive.Worker;

/// <summary>Settings under <c>Settlement</c>.</summary>
internal sealed class SettlementOptions
{
    public const string SectionName = "Settlement";

    /// <summary>How often closed auctions are compared with the settlements (covers closes the bus did not bring).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Closed auctions read per store call while reconciling (memory stays bounded).</summary>
    public int PageSize { get; set; } = 200;
}

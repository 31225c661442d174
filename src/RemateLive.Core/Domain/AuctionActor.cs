namespace RemateLive.Domain;

/// <summary>Who performed an admin action (close now, cancel), kept on its event for the audit trail.</summary>
/// <param name="Id">The user's id.</param>
/// <param name="Name">The user's display name at the time.</param>
public sealed record AuctionActor(UserId Id, string Name);

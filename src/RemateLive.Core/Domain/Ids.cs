namespace RemateLive.Domain;

/// <summary>Identifies an auction.</summary>
public readonly record struct AuctionId(Guid Value)
{
    /// <summary>A new, time-ordered id.</summary>
    public static AuctionId New() => new(Guid.CreateVersion7());

    /// <summary>Parses the string form of an id.</summary>
    public static bool TryParse(string? text, out AuctionId id)
    {
        var ok = Guid.TryParse(text, out var g);
        id = new AuctionId(g);
        return ok;
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}

/// <summary>Identifies a bid.</summary>
public readonly record struct BidId(Guid Value)
{
    /// <summary>A new, time-ordered id.</summary>
    public static BidId New() => new(Guid.CreateVersion7());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}

/// <summary>Identifies a user (bidder, seller or admin).</summary>
public readonly record struct UserId(Guid Value)
{
    /// <summary>A new, time-ordered id.</summary>
    public static UserId New() => new(Guid.CreateVersion7());

    /// <summary>Parses the string form of an id.</summary>
    public static bool TryParse(string? text, out UserId id)
    {
        var ok = Guid.TryParse(text, out var g);
        id = new UserId(g);
        return ok;
    }

    /// <inheritdoc/>
    public override string ToString() => Value.ToString();
}

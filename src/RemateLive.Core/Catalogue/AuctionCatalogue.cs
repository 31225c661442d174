using System.Globalization;
using System.Text;
using RemateLive.Domain;

namespace RemateLive.Catalogue;

/// <summary>
/// The catalogue's rules in one place: how a query's words are read, which auctions match, their sort
/// keys and order. Stores that cannot query natively answer with <see cref="Apply"/>; native adapters
/// (PostgreSQL) translate the same rules and the compliance kit holds both to them.
/// </summary>
public static class AuctionCatalogue
{
    /// <summary>The most words a query may have.</summary>
    public const int MaxTerms = 8;

    /// <summary>The longest word kept from a query.</summary>
    public const int MaxTermLength = 40;

    /// <summary>
    /// A query's words: split on anything that is not a letter or digit, lower-cased (invariant), at most
    /// <see cref="MaxTerms"/>, each cut to <see cref="MaxTermLength"/>. Only letters and digits survive,
    /// so the words are safe to hand to any query language.
    /// </summary>
    public static IReadOnlyList<string> Terms(string? text)
    {
        var terms = new List<string>();
        foreach (var word in Words(text))
        {
            var term = word.Length > MaxTermLength ? word[..MaxTermLength] : word;
            if (!terms.Contains(term, StringComparer.Ordinal))
            {
                terms.Add(term);
            }

            if (terms.Count == MaxTerms)
            {
                break;
            }
        }

        return terms;
    }

    /// <summary>The auction's sort key for <paramref name="sort"/>: microseconds since the epoch, or cents.</summary>
    public static long SortKey(AuctionState auction, AuctionSort sort)
    {
        ArgumentNullException.ThrowIfNull(auction);
        return sort switch
        {
            AuctionSort.EndingSoon => Microseconds(auction.EndsAt),
            AuctionSort.Newest => Microseconds(auction.CreatedAt),
            _ => (auction.CurrentPrice ?? auction.StartingPrice).Cents,
        };
    }

    /// <summary>Whether <paramref name="sort"/> puts the largest key first.</summary>
    public static bool Descending(AuctionSort sort) => sort is AuctionSort.Newest or AuctionSort.PriceHighest;

    /// <summary>Answers a search over auctions held in memory (the in-memory store, and the default of any store).</summary>
    public static IReadOnlyList<AuctionState> Apply(IEnumerable<AuctionState> auctions, AuctionSearch search)
    {
        ArgumentNullException.ThrowIfNull(auctions);
        ArgumentNullException.ThrowIfNull(search);
        var descending = Descending(search.Sort);
        var sign = descending ? -1 : 1;
        return
        [
            .. auctions
                .Where(a => search.Status is null || Auction.StatusAt(a, search.Now) == search.Status)
                .Where(a => search.Terms.Count == 0 || MatchesText(a, search.Terms))
                .Select(a => (Auction: a, Position: new CatalogueCursor(SortKey(a, search.Sort), a.Id)))
                .Where(x => search.After is not { } after || sign * Compare(x.Position, after) > 0)
                .OrderBy(x => x.Position, Comparer<CatalogueCursor>.Create((x, y) => sign * Compare(x, y)))
                .Take(search.Limit)
                .Select(x => x.Auction),
        ];
    }

    /// <summary>
    /// Orders positions by key, then by id in the byte order of its RFC 4122 text (what a database's uuid
    /// order is), so the in-memory order matches PostgreSQL's.
    /// </summary>
    public static int Compare(CatalogueCursor x, CatalogueCursor y)
    {
        var byKey = x.Key.CompareTo(y.Key);
        return byKey != 0 ? byKey : string.CompareOrdinal(x.Id.Value.ToString("N"), y.Id.Value.ToString("N"));
    }

    private static bool MatchesText(AuctionState auction, IReadOnlyList<string> terms)
    {
        var words = Words(auction.Title).Concat(Words(auction.Description)).ToList();
        return terms.All(t => words.Exists(w => w.StartsWith(t, StringComparison.Ordinal)));
    }

    // Runs of letters and digits, lower-cased; everything else separates words.
    private static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    private static long Microseconds(DateTimeOffset time) =>
        (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);

    /// <summary>The time a microsecond key stands for.</summary>
    public static DateTimeOffset FromMicroseconds(long key) =>
        DateTimeOffset.UnixEpoch.AddTicks(key * (TimeSpan.TicksPerMillisecond / 1000));

    /// <summary>Encodes a page position as an opaque, URL-safe token bound to its sort.</summary>
    public static string EncodeCursor(AuctionSort sort, CatalogueCursor cursor) =>
        Base64Url(string.Create(CultureInfo.InvariantCulture, $"{(int)sort}.{cursor.Key}.{cursor.Id.Value:N}"));

    /// <summary>Reads a token from <see cref="EncodeCursor"/>; false when it is malformed or made for another sort.</summary>
    public static bool TryDecodeCursor(string token, AuctionSort sort, out CatalogueCursor cursor)
    {
        cursor = default;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s != (int)sort
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            || !Guid.TryParseExact(parts[2], "N", out var id))
        {
            return false;
        }

        cursor = new CatalogueCursor(key, new AuctionId(id));
        return true;
    }

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}

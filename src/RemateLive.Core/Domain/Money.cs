using System.Globalization;

namespace RemateLive.Domain;

/// <summary>
/// An amount of money in integer minor units (cents). Never negative; arithmetic is checked so it
/// cannot overflow silently. The currency lives on the auction (display only).
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>The default ceiling for any amount: 10^13 cents.</summary>
    public const long DefaultCeilingCents = 10_000_000_000_000;

    /// <summary>Creates an amount; throws when <paramref name="cents"/> is negative.</summary>
    public Money(long cents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cents);
        Cents = cents;
    }

    /// <summary>The amount in minor units.</summary>
    public long Cents { get; }

    /// <summary>Zero.</summary>
    public static Money Zero => default;

    /// <summary>Creates an amount from cents.</summary>
    public static Money FromCents(long cents) => new(cents);

    /// <summary>Checked addition.</summary>
    public static Money operator +(Money left, Money right) => new(checked(left.Cents + right.Cents));

    /// <summary>Checked subtraction; the result must not be negative.</summary>
    public static Money operator -(Money left, Money right) => new(checked(left.Cents - right.Cents));

    /// <inheritdoc cref="IComparable{T}.CompareTo"/>
    public int CompareTo(Money other) => Cents.CompareTo(other.Cents);

    /// <summary>Compares two amounts.</summary>
    public static bool operator <(Money left, Money right) => left.Cents < right.Cents;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >(Money left, Money right) => left.Cents > right.Cents;

    /// <summary>Compares two amounts.</summary>
    public static bool operator <=(Money left, Money right) => left.Cents <= right.Cents;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >=(Money left, Money right) => left.Cents >= right.Cents;

    /// <summary>The larger of two amounts.</summary>
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    /// <summary>The smaller of two amounts.</summary>
    public static Money Min(Money a, Money b) => a <= b ? a : b;

    /// <inheritdoc/>
    public override string ToString() => Cents.ToString(CultureInfo.InvariantCulture);
}

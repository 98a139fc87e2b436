using System.Globalization;

namespace Navixy.TwoFactor.Policy;

/// <summary>
/// Identifies a tenant (a dealer). Every key in the engine is a pair of tenant and id, so that the same
/// numeric user id in two tenants never shares anything.
/// </summary>
public readonly struct TenantId : IEquatable<TenantId>
{
    /// <summary>Creates a tenant id.</summary>
    /// <param name="value">The dealer's numeric id; must be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero or negative.</exception>
    public TenantId(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        Value = value;
    }

    /// <summary>The dealer's numeric id. Zero only for <c>default(TenantId)</c>, which no operation accepts.</summary>
    public long Value { get; }

    /// <summary>Whether this is a real tenant id rather than <c>default(TenantId)</c>.</summary>
    public bool IsValid => Value > 0;

    /// <inheritdoc />
    public bool Equals(TenantId other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TenantId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>Returns the numeric id, e.g. <c>tenant 42</c>.</summary>
    public override string ToString() => "tenant " + Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Compares two tenant ids for equality.</summary>
    public static bool operator ==(TenantId left, TenantId right) => left.Equals(right);

    /// <summary>Compares two tenant ids for inequality.</summary>
    public static bool operator !=(TenantId left, TenantId right) => !left.Equals(right);

    internal static void ThrowIfInvalid(TenantId tenant, string? paramName = "tenant")
    {
        if (!tenant.IsValid)
        {
            throw new ArgumentException("The tenant id is default(TenantId); pass a positive tenant id.", paramName);
        }
    }
}

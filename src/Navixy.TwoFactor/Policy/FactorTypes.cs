namespace Navixy.TwoFactor.Policy;

/// <summary>
/// The kinds of second factor a setting may allow. A set: combine with <c>|</c>.
/// </summary>
/// <remarks>
/// An authenticator app (<see cref="Totp"/>) is the stronger factor: NIST SP 800-63B does not accept
/// email as an out-of-band authenticator. Email codes are Navixy's factor and are supported fully.
/// </remarks>
[Flags]
#pragma warning disable CA1714 // "Types" reads as a set of factor types, which is what the value is.
public enum FactorTypes
#pragma warning restore CA1714
{
    /// <summary>No factor. Not a valid allowed setting on its own.</summary>
    None = 0,

    /// <summary>A one-time code sent by email (Navixy's <c>email</c> factor).</summary>
    Email = 1,

    /// <summary>A time-based one-time code from an authenticator app (RFC 6238).</summary>
    Totp = 2,
}

/// <summary>Helpers for <see cref="FactorTypes"/>.</summary>
public static class FactorTypesExtensions
{
    /// <summary>Every factor type this version of the library knows.</summary>
    public const FactorTypes All = FactorTypes.Email | FactorTypes.Totp;

    /// <summary>Whether <paramref name="factors"/> holds only factor types this library knows.</summary>
    /// <param name="factors">The set to check.</param>
    public static bool IsKnown(this FactorTypes factors) => (factors & ~All) == 0;

    /// <summary>The wire name of a single factor type (<c>email</c>, <c>totp</c>), or <see langword="null"/>.</summary>
    /// <param name="factor">A single factor type.</param>
    public static string? ToWireName(this FactorTypes factor) => factor switch
    {
        FactorTypes.Email => "email",
        FactorTypes.Totp => "totp",
        _ => null,
    };

    /// <summary>Parses a wire name (<c>email</c>, <c>totp</c>), case-sensitively as the Panel API does.</summary>
    /// <param name="name">The name to parse.</param>
    /// <param name="factor">The factor type when the name is known; otherwise <see cref="FactorTypes.None"/>.</param>
    /// <returns>Whether the name is a known factor type.</returns>
    public static bool TryParseWireName(string? name, out FactorTypes factor)
    {
        factor = name switch
        {
            "email" => FactorTypes.Email,
            "totp" => FactorTypes.Totp,
            _ => FactorTypes.None,
        };
        return factor != FactorTypes.None;
    }
}

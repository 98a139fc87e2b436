namespace Navixy.TwoFactor.Policy;

/// <summary>
/// An account's (or a tenant default's) two-factor setting: <see cref="Disallowed"/>, or
/// <see cref="Allowed(FactorTypes)"/> with a non-empty set of factor types. Allowing turns the second
/// step on (Navixy's <c>{"type": "allowed", "factor_types": [...]}</c>).
/// </summary>
/// <remarks>
/// Any value can be constructed, including invalid ones such as <c>Allowed(FactorTypes.None)</c>, so that
/// input read from a request can reach the engine and be rejected with a named reason
/// (see <see cref="Validate"/>). The engine never stores an invalid setting.
/// </remarks>
public readonly struct TwoFactorSetting : IEquatable<TwoFactorSetting>
{
    private TwoFactorSetting(bool isAllowed, FactorTypes factors)
    {
        IsAllowed = isAllowed;
        Factors = factors;
    }

    /// <summary>The second step is off (<c>{"type": "disallowed"}</c>). This is also <c>default(TwoFactorSetting)</c>.</summary>
    public static TwoFactorSetting Disallowed => default;

    /// <summary>The second step is on with the given factor types.</summary>
    /// <param name="factors">The allowed factor types; must be non-empty and known to be valid.</param>
    public static TwoFactorSetting Allowed(FactorTypes factors) => new(true, factors);

    /// <summary>Whether the second step is on.</summary>
    public bool IsAllowed { get; }

    /// <summary>The allowed factor types; <see cref="FactorTypes.None"/> when disallowed.</summary>
    public FactorTypes Factors { get; }

    /// <summary>Whether the setting can be stored (see <see cref="Validate"/>).</summary>
    public bool IsValid => Validate() == SettingsErrorCode.None;

    /// <summary>Checks the setting.</summary>
    /// <returns>
    /// <see cref="SettingsErrorCode.None"/> when valid; <see cref="SettingsErrorCode.NoFactorTypes"/> for an allowed setting
    /// without factors; <see cref="SettingsErrorCode.UnknownFactorType"/> when a factor type is not known;
    /// <see cref="SettingsErrorCode.InvalidSetting"/> for a disallowed setting that carries factor types.
    /// </returns>
    public SettingsErrorCode Validate()
    {
        if (!IsAllowed)
        {
            return Factors == FactorTypes.None ? SettingsErrorCode.None : SettingsErrorCode.InvalidSetting;
        }

        if (Factors == FactorTypes.None)
        {
            return SettingsErrorCode.NoFactorTypes;
        }

        return Factors.IsKnown() ? SettingsErrorCode.None : SettingsErrorCode.UnknownFactorType;
    }

    /// <inheritdoc />
    public bool Equals(TwoFactorSetting other) => IsAllowed == other.IsAllowed && Factors == other.Factors;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TwoFactorSetting other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsAllowed, Factors);

    /// <summary>Describes the setting, e.g. <c>Allowed(Email)</c> or <c>Disallowed</c>.</summary>
    public override string ToString() => IsAllowed ? $"Allowed({Factors})" : "Disallowed";

    /// <summary>Compares two settings for equality.</summary>
    public static bool operator ==(TwoFactorSetting left, TwoFactorSetting right) => left.Equals(right);

    /// <summary>Compares two settings for inequality.</summary>
    public static bool operator !=(TwoFactorSetting left, TwoFactorSetting right) => !left.Equals(right);
}

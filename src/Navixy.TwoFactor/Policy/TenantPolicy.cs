namespace Navixy.TwoFactor.Policy;

/// <summary>
/// An immutable view of a tenant's settings: the default for new accounts and the last update that
/// targeted all accounts. A tenant never written to is <see cref="Initial"/> (default <c>Disallowed</c>).
/// </summary>
/// <remarks>
/// Update-all is O(1): it stamps <see cref="AllAccountsSetting"/> with a new version instead of writing
/// every account. An account's effective setting is whichever of its own setting and the all-accounts
/// setting carries the later stamp (S4).
/// </remarks>
public sealed record TenantPolicy
{
    /// <summary>The state of a tenant nothing has been written to: default <c>Disallowed</c>, no update-all.</summary>
    public static TenantPolicy Initial { get; } = new(TwoFactorSetting.Disallowed, TwoFactorSetting.Disallowed, 0);

    /// <summary>Creates a tenant view.</summary>
    /// <param name="defaultSetting">The setting new accounts take (S1).</param>
    /// <param name="allAccountsSetting">The setting of the last update-all; ignored when <paramref name="allAccountsVersion"/> is 0.</param>
    /// <param name="allAccountsVersion">The version stamp of the last update-all; 0 when there has been none.</param>
    public TenantPolicy(TwoFactorSetting defaultSetting, TwoFactorSetting allAccountsSetting, long allAccountsVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allAccountsVersion);
        DefaultSetting = defaultSetting;
        AllAccountsSetting = allAccountsSetting;
        AllAccountsVersion = allAccountsVersion;
    }

    /// <summary>The setting accounts take when they are created or imported (S1). Not retroactive (S5).</summary>
    public TwoFactorSetting DefaultSetting { get; init; }

    /// <summary>The setting of the last update that targeted all accounts.</summary>
    public TwoFactorSetting AllAccountsSetting { get; init; }

    /// <summary>The version stamp of the last update-all; 0 when there has been none.</summary>
    public long AllAccountsVersion { get; init; }

    /// <summary>The setting in force for an account: the later-stamped of its own setting and the update-all setting.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The setting, where it came from, and the version stamp of the operation that wrote it.</returns>
    public (TwoFactorSetting Setting, SettingSource Source, long Version) EffectiveSetting(in AccountRecord account) =>
        account.Version > AllAccountsVersion
            ? (account.Setting, account.Source, account.Version)
            : (AllAccountsSetting, SettingSource.AllAccountsUpdate, AllAccountsVersion);
}

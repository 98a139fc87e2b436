namespace Navixy.TwoFactor.Policy;

/// <summary>
/// An immutable view of one account as stored: its id, origin, demo flag and its own setting with the
/// version stamp of the operation that wrote it. Whether a later update-all overrides the setting is
/// decided against <see cref="TenantPolicy.AllAccountsVersion"/> (see <see cref="TenantPolicy.EffectiveSetting(in AccountRecord, DateTimeOffset)"/>).
/// </summary>
/// <param name="Id">The account id (positive).</param>
/// <param name="Origin">Created or imported.</param>
/// <param name="IsDemo">Whether this is a demo account (never asked for a second step, R1).</param>
/// <param name="Setting">The setting last written for this account individually (or the default taken at registration).</param>
/// <param name="Source">Where <paramref name="Setting"/> came from.</param>
/// <param name="Version">The tenant-wide version stamp of the operation that wrote <paramref name="Setting"/>.</param>
public readonly record struct AccountRecord(
    long Id,
    AccountOrigin Origin,
    bool IsDemo,
    TwoFactorSetting Setting,
    SettingSource Source,
    long Version);

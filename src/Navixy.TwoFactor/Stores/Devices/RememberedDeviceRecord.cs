using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Devices;

/// <summary>
/// A remembered device as a store keeps it (policy.md D1–D3): the keyed hash of its token (never the token), whose it is,
/// a non-secret id and host label, when it was issued and last used, and the settings version stamp it was issued under.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="PrincipalId">The principal that passed the second step on the device.</param>
/// <param name="TokenHash">The keyed hash of the token (32 bytes).</param>
/// <param name="DeviceId">A non-secret id, for lists and forgetting one device.</param>
/// <param name="Label">The host's label (for example a browser and OS); may be null.</param>
/// <param name="IssuedAt">When the token was issued.</param>
/// <param name="LastUsedAt">When a start last honoured it; null until then.</param>
/// <param name="SettingStamp">The version stamp of the principal's deciding setting when the token was issued; a settings change since voids the token.</param>
public sealed record RememberedDeviceRecord(
    TenantId Tenant,
    long PrincipalId,
    byte[] TokenHash,
    string DeviceId,
    string? Label,
    DateTimeOffset IssuedAt,
    DateTimeOffset? LastUsedAt,
    long SettingStamp);

/// <summary>
/// When a device token is honoured (policy.md D2): the one rule, which the in-memory store calls and the PostgreSQL store's
/// statement says in SQL (the shared specification proves them equal).
/// </summary>
public static class RememberedDeviceRule
{
    /// <summary>
    /// Whether <paramref name="device"/> lets <paramref name="principalId"/> skip the second step at <paramref name="now"/>:
    /// issued to that principal, under the settings stamp in force now, and younger than the tenant's remember period (a
    /// period of zero, "off", honours nothing).
    /// </summary>
    /// <param name="device">The stored device found by the token's hash in the tenant.</param>
    /// <param name="principalId">The principal starting.</param>
    /// <param name="settingStamp">The version stamp of the principal's deciding setting now.</param>
    /// <param name="rememberPeriod">The tenant's remember period now.</param>
    /// <param name="now">Now.</param>
    public static bool IsHonoured(RememberedDeviceRecord device, long principalId, long settingStamp, TimeSpan rememberPeriod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.PrincipalId == principalId
            && device.SettingStamp == settingStamp
            && !IsExpired(device, rememberPeriod, now);
    }

    /// <summary>
    /// Whether <paramref name="device"/> has expired at <paramref name="now"/> under the tenant's remember period as it is
    /// now: issued at least that long ago, or the period is zero ("off", every device of the tenant is dead). An expired
    /// device is honoured by no one, so a purge may delete it (<see cref="IRememberedDeviceStore.PurgeExpiredAsync"/>).
    /// </summary>
    /// <param name="device">A stored device.</param>
    /// <param name="rememberPeriod">Its tenant's remember period now.</param>
    /// <param name="now">Now.</param>
    public static bool IsExpired(RememberedDeviceRecord device, TimeSpan rememberPeriod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        return rememberPeriod <= TimeSpan.Zero || now >= device.IssuedAt + rememberPeriod;
    }
}

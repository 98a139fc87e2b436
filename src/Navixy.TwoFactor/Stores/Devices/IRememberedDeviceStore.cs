using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.Devices;

/// <summary>
/// Keeps remembered devices and each tenant's remember period (policy.md D1–D3). Every key starts with the tenant; a token
/// is found only by its keyed hash. Each call is atomic; a call that takes an <see cref="AuditContext"/> appends its
/// audit-trail entry in the same atomic step (A2).
/// </summary>
public interface IRememberedDeviceStore
{
    /// <summary>Adds a device and drops the principal's oldest devices beyond <paramref name="maxPerPrincipal"/> (D3), atomically.</summary>
    /// <param name="device">The device.</param>
    /// <param name="maxPerPrincipal">The most devices kept for the principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask AddAsync(RememberedDeviceRecord device, int maxPerPrincipal, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the device of <paramref name="tokenHash"/> in the tenant and, when <see cref="RememberedDeviceRule.IsHonoured"/>
    /// (with the tenant's remember period), records <paramref name="now"/> as its last use and answers true; otherwise
    /// changes nothing and answers false.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The keyed hash of the presented token.</param>
    /// <param name="principalId">The principal starting.</param>
    /// <param name="settingStamp">The version stamp of the principal's deciding setting now.</param>
    /// <param name="now">Now.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<bool> TryUseAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, long settingStamp, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The principal's devices, oldest first, void ones included (the caller applies the rule).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<RememberedDeviceRecord>> ListAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets one device of the principal (<paramref name="deviceId"/>) or all of them (null); answers how many. With
    /// <paramref name="audit"/>, appends a <see cref="AuditOperation.DevicesForgotten"/> entry when any was forgotten.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="deviceId">The device to forget, or null for all.</param>
    /// <param name="audit">Who and when, for an explicit forget; null when the forgetting is part of another audited change.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<int> ForgetAsync(TenantId tenant, long principalId, string? deviceId, AuditContext? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> devices, of any tenant, that <see cref="RememberedDeviceRule.IsExpired"/>
    /// says have expired at <paramref name="now"/> by their tenant's remember period as it is now (every device of a tenant
    /// whose period is zero or was never set); answers how many. A caller repeats it until it answers fewer than
    /// <paramref name="batchSize"/>. Each call is short: a database deletes one bounded batch per statement, holding no lock
    /// beyond it.
    /// </summary>
    /// <param name="now">Now.</param>
    /// <param name="batchSize">The most devices this call deletes; at least 1.</param>
    /// <param name="cancellationToken">Cancels the purge.</param>
    ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>The tenant's remember period; <see cref="TimeSpan.Zero"/> (off) for a tenant that never set one.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<TimeSpan> GetRememberPeriodAsync(TenantId tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the tenant's remember period (validated by the caller), forgets the tenant's devices that have expired under the
    /// new period at <see cref="AuditContext.Moment"/> (<see cref="RememberedDeviceRule.IsExpired"/>: all of them when it is
    /// zero) so that raising the period again later never revives them, and appends its audit-trail entry, atomically.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">Zero (off) up to 90 days.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask SetRememberPeriodAsync(TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken);
}

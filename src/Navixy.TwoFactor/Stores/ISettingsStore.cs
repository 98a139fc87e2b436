using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Applies settings updates atomically. The caller has already validated the setting and the shape of the
/// ids; the store checks existence and applies all or nothing (S8). Every accepted write takes a new,
/// strictly increasing tenant version stamp, which orders the operations (S4), and appends its audit-trail entry
/// (policy.md A1) in the same atomic step (A2), with the settings before that only the store knows. A dry run or a rejected
/// update appends nothing.
/// </summary>
public interface ISettingsStore
{
    /// <summary>
    /// Sets the setting of every account the tenant has at that moment (S2) in O(1) (S10): by stamping the
    /// tenant's all-accounts setting, not by writing accounts. With <paramref name="includeDefault"/> it also
    /// sets the default in the same atomic step (S6).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="setting">A valid setting.</param>
    /// <param name="includeDefault">Whether to set the default for new accounts too.</param>
    /// <param name="dryRun">Count what would change and change nothing.</param>
    /// <param name="audit">Who and when, for the audit-trail entry of an applied update.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the setting of exactly the listed accounts (S3), or rejects the whole update naming every id that
    /// is not an account of this tenant (<see cref="SettingsErrorCode.NotFound"/>, or
    /// <see cref="SettingsErrorCode.NotAnAccount"/> for a sub-user) and changes nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accountIds">Distinct positive ids; non-empty.</param>
    /// <param name="setting">A valid setting.</param>
    /// <param name="dryRun">Count what would change and change nothing.</param>
    /// <param name="audit">Who and when, for the audit-trail entry of an applied update.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Sets the default for new accounts; changes no existing account (S5).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="setting">A valid setting.</param>
    /// <param name="dryRun">Change nothing.</param>
    /// <param name="audit">Who and when, for the audit-trail entry of an applied update.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken);
}

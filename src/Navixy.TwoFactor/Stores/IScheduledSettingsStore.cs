using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Keeps settings operations accepted for a later moment (policy.md S11), beside <see cref="ISettingsStore"/>. The store
/// hands the pending changes out with every snapshot (<see cref="TenantPolicy.Pending"/>, with <see cref="TenantPolicy.Version"/>),
/// and before every write of a tenant folds the changes due by then into the stored state, in order of moment then
/// acceptance, each taking the next version stamp, so that what it stores is the state as of that write. Scheduling and
/// cancelling each append one audit-trail entry in the same atomic step (policy.md A1, A2); folding a due change in appends
/// none (the scheduling entry, with its <see cref="AuditEntry.EffectiveFrom"/>, records it).
/// </summary>
public interface IScheduledSettingsStore
{
    /// <summary>
    /// Accepts a change for its moment, after checking now that every selected id is an account of the tenant (S8: else
    /// rejected naming each, changing nothing). It takes the next version stamp as its <see cref="ScheduledChange.Id"/>.
    /// Rejected with <see cref="SettingsErrorCode.TooManyScheduled"/> when <see cref="TwoFactorOptions.MaxPendingChanges"/> are pending.
    /// An accepted change appends its entry (<see cref="AuditEntry.EffectiveFrom"/> set, <see cref="AuditEntry.Version"/> its
    /// id, the settings before as they will stand at its moment); a dry run or a rejection appends nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="change">The change, with a valid setting, distinct positive ids for a selected update and a moment later than now; its id is ignored.</param>
    /// <param name="dryRun">Check only.</param>
    /// <param name="audit">Who and when, for the audit-trail entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> ScheduleAsync(TenantId tenant, ScheduledChange change, bool dryRun, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>The tenant's changes not yet due, by moment then acceptance.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ScheduledChange>> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a change not yet due, so that it never applies; answers <see cref="SettingsUpdateResult.Applied"/> with the
    /// version stamp the cancellation took, or <see cref="SettingsErrorCode.NotFound"/> naming the id when no such change is
    /// pending (unknown, another tenant's, cancelled, or applied already). A cancellation appends an
    /// <see cref="AuditOperation.ScheduledChangeCancelled"/> entry; a not-found one appends nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="changeId">The change's <see cref="ScheduledChange.Id"/>.</param>
    /// <param name="audit">Who and when, for the audit-trail entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, AuditContext audit, CancellationToken cancellationToken);
}

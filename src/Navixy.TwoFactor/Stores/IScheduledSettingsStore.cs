using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Keeps settings operations accepted for a later moment (policy.md S11), beside <see cref="ISettingsStore"/>. The store
/// hands the pending changes out with every snapshot (<see cref="TenantPolicy.Pending"/>, with <see cref="TenantPolicy.Version"/>),
/// and before every write of a tenant folds the changes due by then into the stored state, in order of moment then
/// acceptance, each taking the next version stamp, so that what it stores is the state as of that write.
/// </summary>
public interface IScheduledSettingsStore
{
    /// <summary>
    /// Accepts a change for its moment, after checking now that every selected id is an account of the tenant (S8: else
    /// rejected naming each, changing nothing). It takes the next version stamp as its <see cref="ScheduledChange.Id"/>.
    /// Rejected with <see cref="SettingsErrorCode.TooManyScheduled"/> when <see cref="TwoFactorOptions.MaxPendingChanges"/> are pending.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="change">The change, with a valid setting, distinct positive ids for a selected update and a moment later than now; its id is ignored.</param>
    /// <param name="dryRun">Check only.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> ScheduleAsync(TenantId tenant, ScheduledChange change, bool dryRun, CancellationToken cancellationToken);

    /// <summary>The tenant's changes not yet due, by moment then acceptance.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<ScheduledChange>> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels a change not yet due, so that it never applies; answers <see cref="SettingsUpdateResult.Applied"/> with the
    /// version stamp the cancellation took, or <see cref="SettingsErrorCode.NotFound"/> naming the id when no such change is
    /// pending (unknown, another tenant's, cancelled, or applied already).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="changeId">The change's <see cref="ScheduledChange.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, CancellationToken cancellationToken);
}

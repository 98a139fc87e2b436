using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.Tracing;

namespace Navixy.TwoFactor.Settings;

/// <summary>Scheduled settings changes (policy.md S11): accepting an operation for a later moment, listing and cancelling.</summary>
internal sealed partial class TwoFactorSettingsService
{
    private static readonly IReadOnlyList<ScheduledChange> NoChanges = [];

    /// <summary>The store's scheduling, when the registered settings store offers it.</summary>
    private IScheduledSettingsStore? Schedules => StoreDecorators.Unwrap(settings) as IScheduledSettingsStore;

    public ValueTask<IReadOnlyList<ScheduledChange>?> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return Schedules is { } schedules
            ? audit.GuardAsync<IReadOnlyList<ScheduledChange>?>("scheduled list", tenant, null, null, async ct => await schedules.ListScheduledAsync(tenant, ct).ConfigureAwait(false), cancellationToken)
            : new(NoChanges);
    }

    public ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return changeId <= 0 || Schedules is not { } schedules
            ? new(SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.NotFound, changeId)]))
            : Guarded("scheduled cancel", tenant, ct => schedules.CancelScheduledAsync(tenant, changeId, Trail, ct), cancellationToken);
    }

    /// <summary>
    /// The moment an operation is for when it lies after now; <see langword="null"/> for an operation to apply at once (no
    /// moment, or one that has come already: as if accepted now, since the past cannot be rewritten).
    /// </summary>
    private DateTimeOffset? Later(DateTimeOffset? effectiveFrom) =>
        effectiveFrom is { } moment && moment > time.GetUtcNow() ? moment : null;

    private ValueTask<SettingsUpdateResult> ScheduleAsync(TenantId tenant, ScheduledChange change, bool dryRun, CancellationToken cancellationToken) =>
        Schedules is { } schedules
            ? schedules.ScheduleAsync(tenant, change, dryRun, Trail, cancellationToken)
            : new(SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.SchedulingUnsupported)], dryRun));
}

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

    public async ValueTask<IReadOnlyList<ScheduledChange>> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return Schedules is { } schedules ? await schedules.ListScheduledAsync(tenant, cancellationToken).ConfigureAwait(false) : NoChanges;
    }

    public async ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (changeId <= 0 || Schedules is not { } schedules)
        {
            return SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.NotFound, changeId)]);
        }

        return await schedules.CancelScheduledAsync(tenant, changeId, Trail, cancellationToken).ConfigureAwait(false);
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

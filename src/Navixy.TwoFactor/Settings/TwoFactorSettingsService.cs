using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Settings;

/// <summary>
/// Reads and changes two-factor settings: validates input, then delegates to the settings store, which applies each
/// operation atomically. Every applied (not dry-run) change raises a <see cref="TwoFactorAuditEventKind.SettingsChanged"/>
/// audit event. A store failure answers each method's failure value (<see cref="TwoFactorAudit.GuardAsync"/>), after the
/// caller's misuse (a default tenant, a null target) has thrown.
/// </summary>
internal sealed partial class TwoFactorSettingsService(
    IPrincipalPolicyStore policies,
    ISettingsStore settings,
    IOptions<TwoFactorOptions> options,
    TimeProvider time,
    ITwoFactorActorAccessor actors,
    TwoFactorAudit audit) : ITwoFactorSettings
{
    /// <summary>Who and when for the audit-trail entry the store writes with an applied change (policy.md A1).</summary>
    private AuditContext Trail => new(actors.Actor, time.GetUtcNow());

    public ValueTask<AccountSettingResult> ReadAsync(TenantId tenant, long accountId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return accountId <= 0
            ? new(AccountSettingResult.NotFound)
            : audit.GuardAsync("settings read", tenant, accountId, AccountSettingResult.Failed, async ct =>
            {
                var snapshot = await policies.FindPrincipalAsync(tenant, accountId, ct).ConfigureAwait(false);
                if (snapshot.Kind != PrincipalKind.Account)
                {
                    return AccountSettingResult.NotFound;
                }

                var (setting, source, _) = snapshot.Tenant.EffectiveSetting(snapshot.Account, time.GetUtcNow());
                return AccountSettingResult.Of(setting, source, snapshot.Account.IsDemo);
            }, cancellationToken);
    }

    public ValueTask<SettingsUpdateResult> UpdateAsync(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentNullException.ThrowIfNull(target);
        return Guarded("settings update", tenant, ct => UpdateCoreAsync(tenant, target, setting, dryRun, effectiveFrom, ct), cancellationToken);
    }

    public ValueTask<TwoFactorSetting?> ReadDefaultAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return audit.GuardAsync<TwoFactorSetting?>("default read", tenant, null, null, async ct =>
            (await policies.GetTenantAsync(tenant, ct).ConfigureAwait(false)).DefaultAt(time.GetUtcNow()), cancellationToken);
    }

    public ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return TenantWideAsync("default update", tenant, SettingsChangeScope.Default, ScheduledChangeKind.Default, setting, dryRun, effectiveFrom,
            ct => settings.UpdateDefaultAsync(tenant, setting, dryRun, Trail, ct), cancellationToken);
    }

    public ValueTask<SettingsUpdateResult> EnforceForEveryoneAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return TenantWideAsync("enforce for everyone", tenant, SettingsChangeScope.Everyone, ScheduledChangeKind.Everyone, setting, dryRun, effectiveFrom,
            ct => settings.UpdateAllAsync(tenant, setting, includeDefault: true, dryRun, Trail, ct), cancellationToken);
    }

    /// <summary>A tenant-wide operation (the default, or everyone): validated, then applied now or scheduled, and audited.</summary>
    private ValueTask<SettingsUpdateResult> TenantWideAsync(
        string operation,
        TenantId tenant,
        SettingsChangeScope scope,
        ScheduledChangeKind kind,
        TwoFactorSetting setting,
        bool dryRun,
        DateTimeOffset? effectiveFrom,
        Func<CancellationToken, ValueTask<SettingsUpdateResult>> applyNow,
        CancellationToken cancellationToken) =>
        Guarded(operation, tenant, async ct =>
        {
            var error = setting.Validate();
            return error != SettingsErrorCode.None
                ? SettingsUpdateResult.Rejected([new SettingsError(error)], dryRun)
                : await AuditedAsync(tenant, scope, setting, [], Later(effectiveFrom) is { } moment
                    ? await ScheduleAsync(tenant, new ScheduledChange(0, moment, kind, setting), dryRun, ct).ConfigureAwait(false)
                    : await applyNow(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>An update behind the one store-failure rule: a store failure answers <see cref="SettingsUpdateResult.Failed"/>.</summary>
    private ValueTask<SettingsUpdateResult> Guarded(string operation, TenantId tenant, Func<CancellationToken, ValueTask<SettingsUpdateResult>> update, CancellationToken cancellationToken) =>
        audit.GuardAsync(operation, tenant, null, SettingsUpdateResult.Failed, update, cancellationToken);

    private async ValueTask<SettingsUpdateResult> UpdateCoreAsync(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun, DateTimeOffset? effectiveFrom, CancellationToken cancellationToken)
    {
        var settingError = setting.Validate();
        var later = Later(effectiveFrom);

        if (target.IsAll)
        {
            return settingError != SettingsErrorCode.None
                ? SettingsUpdateResult.Rejected([new SettingsError(settingError)], dryRun)
                : await AuditedAsync(tenant, SettingsChangeScope.AllAccounts, setting, [], later is { } moment
                    ? await ScheduleAsync(tenant, new ScheduledChange(0, moment, ScheduledChangeKind.AllAccounts, setting), dryRun, cancellationToken).ConfigureAwait(false)
                    : await settings.UpdateAllAsync(tenant, setting, includeDefault: false, dryRun, Trail, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var errors = new List<SettingsError>();
        if (settingError != SettingsErrorCode.None)
        {
            errors.Add(new SettingsError(settingError));
        }

        if (target.Ids.Count == 0)
        {
            errors.Add(new SettingsError(SettingsErrorCode.EmptyTarget));
        }
        else if (target.Ids.Count > options.Value.MaxIdsPerUpdate)
        {
            // Too many to look each one up: refuse before touching the store.
            errors.Add(new SettingsError(SettingsErrorCode.TooManyIds));
            return SettingsUpdateResult.Rejected(errors, dryRun);
        }

        var ids = new HashSet<long>();
        foreach (var id in target.Ids)
        {
            if (id <= 0)
            {
                if (ids.Add(id))
                {
                    errors.Add(new SettingsError(SettingsErrorCode.NonPositiveId, id));
                }
            }
            else
            {
                ids.Add(id);
            }
        }

        if (errors.Count == 0)
        {
            var result = later is { } moment
                ? await ScheduleAsync(tenant, new ScheduledChange(0, moment, ScheduledChangeKind.SelectedAccounts, setting, ids), dryRun, cancellationToken).ConfigureAwait(false)
                : await settings.UpdateSelectedAsync(tenant, ids, setting, dryRun, Trail, cancellationToken).ConfigureAwait(false);
            return await AuditedAsync(tenant, SettingsChangeScope.SelectedAccounts, setting, [.. ids], result, cancellationToken).ConfigureAwait(false);
        }

        // Rejected already; still name the positive ids that are not accounts of this tenant, so one answer lists every offending id.
        ids.RemoveWhere(id => id <= 0);
        if (ids.Count > 0)
        {
            var probe = await settings.UpdateSelectedAsync(tenant, ids, TwoFactorSetting.Disallowed, dryRun: true, Trail, cancellationToken).ConfigureAwait(false);
            errors.AddRange(probe.Errors);
        }

        return SettingsUpdateResult.Rejected(errors, dryRun);
    }

    /// <summary>Raises the settings-changed audit event for an applied update; answers the result unchanged.</summary>
    private async ValueTask<SettingsUpdateResult> AuditedAsync(TenantId tenant, SettingsChangeScope scope, TwoFactorSetting setting, long[] accountIds, SettingsUpdateResult result, CancellationToken cancellationToken)
    {
        if (result.Succeeded && !result.IsDryRun)
        {
            await audit.RaiseAsync(
                new TwoFactorAuditEvent
                {
                    Kind = TwoFactorAuditEventKind.SettingsChanged,
                    Tenant = tenant,
                    Timestamp = audit.Time.GetUtcNow(),
                    SettingsScope = scope,
                    Setting = setting,
                    AccountIds = accountIds,
                    ChangedAccounts = result.ChangedAccounts,
                    SettingsVersion = result.Version,
                },
                cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}

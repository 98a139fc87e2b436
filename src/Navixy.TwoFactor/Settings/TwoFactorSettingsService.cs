using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Settings;

/// <summary>
/// Validates input, then delegates to the stores, which apply each operation atomically. Every applied
/// (not dry-run) change raises a <see cref="TwoFactorAuditEventKind.SettingsChanged"/> audit event. Removing a principal
/// also removes its second-step state from the other stores (policy.md C10).
/// </summary>
internal sealed class TwoFactorSettingsService(
    IPrincipalPolicyStore policies,
    IPrincipalDirectoryStore directory,
    ISettingsStore settings,
    IChallengeStore challenges,
    ITotpEnrollmentStore enrollments,
    IRecoveryCodeStore recoveryCodes,
    IOptions<TwoFactorOptions> options,
    TwoFactorAudit? audit = null,
    ILoggerFactory? loggerFactory = null) : ITwoFactorSettings, ITwoFactorDirectory, ITwoFactorResolver, IStoreBackedResolver
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);

    public IPrincipalPolicyStore Policies => policies;

    public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (policies is InMemoryPolicyStore memory)
        {
            // The default store answers in place: no interface call, no ValueTask of a snapshot to unwrap.
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<Requirement>(TwoFactorResolver.Resolve(memory.Find(tenant, principalId)));
        }

        var pending = policies.FindPrincipalAsync(tenant, principalId, cancellationToken);

        // Every login comes here: a store that answers synchronously (the in-memory one) costs no state machine,
        // so the common path allocates nothing in any build configuration.
        return pending.IsCompletedSuccessfully
            ? new ValueTask<Requirement>(TwoFactorResolver.Resolve(pending.Result))
            : ResolveLaterAsync(pending);
    }

    private static async ValueTask<Requirement> ResolveLaterAsync(ValueTask<PrincipalPolicy> pending) =>
        TwoFactorResolver.Resolve(await pending.ConfigureAwait(false));

    public async ValueTask<AccountSettingResult> ReadAsync(TenantId tenant, long accountId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (accountId <= 0)
        {
            return AccountSettingResult.NotFound;
        }

        var snapshot = await policies.FindPrincipalAsync(tenant, accountId, cancellationToken).ConfigureAwait(false);
        if (snapshot.Kind != PrincipalKind.Account)
        {
            return AccountSettingResult.NotFound;
        }

        var (setting, source, _) = snapshot.Tenant.EffectiveSetting(snapshot.Account);
        return AccountSettingResult.Of(setting, source, snapshot.Account.IsDemo);
    }

    public async ValueTask<SettingsUpdateResult> UpdateAsync(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentNullException.ThrowIfNull(target);
        var settingError = setting.Validate();

        if (target.IsAll)
        {
            return settingError != SettingsErrorCode.None
                ? SettingsUpdateResult.Rejected([new SettingsError(settingError)], dryRun)
                : await AuditedAsync(tenant, SettingsChangeScope.AllAccounts, setting, [], await settings.UpdateAllAsync(tenant, setting, includeDefault: false, dryRun, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
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
            var result = await settings.UpdateSelectedAsync(tenant, ids, setting, dryRun, cancellationToken).ConfigureAwait(false);
            return await AuditedAsync(tenant, SettingsChangeScope.SelectedAccounts, setting, [.. ids], result, cancellationToken).ConfigureAwait(false);
        }

        // Rejected already; still name the positive ids that are not accounts of this tenant, so one answer lists every offending id.
        ids.RemoveWhere(id => id <= 0);
        if (ids.Count > 0)
        {
            var probe = await settings.UpdateSelectedAsync(tenant, ids, TwoFactorSetting.Disallowed, dryRun: true, cancellationToken).ConfigureAwait(false);
            errors.AddRange(probe.Errors);
        }

        return SettingsUpdateResult.Rejected(errors, dryRun);
    }

    public async ValueTask<TwoFactorSetting> ReadDefaultAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var policy = await policies.GetTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        return policy.DefaultSetting;
    }

    public async ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var error = setting.Validate();
        return error != SettingsErrorCode.None
            ? SettingsUpdateResult.Rejected([new SettingsError(error)], dryRun)
            : await AuditedAsync(tenant, SettingsChangeScope.Default, setting, [], await settings.UpdateDefaultAsync(tenant, setting, dryRun, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<SettingsUpdateResult> EnforceForEveryoneAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var error = setting.Validate();
        return error != SettingsErrorCode.None
            ? SettingsUpdateResult.Rejected([new SettingsError(error)], dryRun)
            : await AuditedAsync(tenant, SettingsChangeScope.Everyone, setting, [], await settings.UpdateAllAsync(tenant, setting, includeDefault: true, dryRun, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<DirectoryResult> RegisterAccountAsync(TenantId tenant, long accountId, AccountOrigin origin = AccountOrigin.Created, bool isDemo = false, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (!Enum.IsDefined(origin))
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown account origin.");
        }

        return accountId <= 0
            ? new(DirectoryResult.Failed(DirectoryErrorCode.NonPositiveId))
            : directory.AddAccountAsync(tenant, accountId, origin, isDemo, cancellationToken);
    }

    public ValueTask<DirectoryResult> RegisterSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (subUserId <= 0)
        {
            return new(DirectoryResult.Failed(DirectoryErrorCode.NonPositiveId));
        }

        return accountId <= 0
            ? new(DirectoryResult.Failed(DirectoryErrorCode.AccountNotFound))
            : directory.AddSubUserAsync(tenant, subUserId, accountId, cancellationToken);
    }

    public async ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (principalId <= 0)
        {
            return DirectoryResult.Failed(DirectoryErrorCode.NotFound);
        }

        var result = await directory.RemoveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && result.Error != DirectoryErrorCode.NotFound)
        {
            return result;
        }

        // The directory has committed (or holds no such principal, maybe after an earlier removal whose clean-up failed:
        // cleaning again finishes it). From here on the caller's cancellation is not observed, so that the answer always
        // says whether everything of the removed principals is gone.
        IReadOnlyList<long> removed = result.RemovedPrincipalIds.Count > 0 ? result.RemovedPrincipalIds : [principalId];
        var cleaned = true;
        foreach (var id in removed)
        {
            cleaned &= await RemoveSecondStepStateAsync(tenant, id).ConfigureAwait(false);
        }

        return cleaned ? result : result.WithStateNotRemoved();
    }

    /// <summary>
    /// Removes a principal's challenges and lockout, authenticator enrolment and recovery codes (policy.md C10). Each
    /// removal is idempotent; a store failure is logged and audited, the others still run, and the answer is false.
    /// </summary>
    private async ValueTask<bool> RemoveSecondStepStateAsync(TenantId tenant, long principalId)
    {
        var none = CancellationToken.None;
        var cleaned = await TryRemoveAsync(tenant, principalId, async () => await challenges.RemovePrincipalAsync(tenant, principalId, none).ConfigureAwait(false)).ConfigureAwait(false);
        cleaned &= await TryRemoveAsync(tenant, principalId, async () => await enrollments.DeleteAsync(tenant, principalId, none).ConfigureAwait(false)).ConfigureAwait(false);
        cleaned &= await TryRemoveAsync(tenant, principalId, async () => await recoveryCodes.DeleteAllAsync(tenant, principalId, none).ConfigureAwait(false)).ConfigureAwait(false);
        return cleaned;
    }

    private async ValueTask<bool> TryRemoveAsync(TenantId tenant, long principalId, Func<Task> removal)
    {
        try
        {
            await removal().ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // Any store failure answers StateNotRemoved, so that the host retries; none may escape.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            TwoFactorLog.StoreFailed(_logger, exception, "principal removal", tenant.Value);
            if (audit is not null)
            {
                await audit.RaiseAsync(
                    new TwoFactorAuditEvent { Kind = TwoFactorAuditEventKind.StoreFailed, Tenant = tenant, Timestamp = audit.Time.GetUtcNow(), PrincipalId = principalId },
                    CancellationToken.None).ConfigureAwait(false);
            }

            return false;
        }
    }

    /// <summary>Raises the settings-changed audit event for an applied update; answers the result unchanged.</summary>
    private async ValueTask<SettingsUpdateResult> AuditedAsync(TenantId tenant, SettingsChangeScope scope, TwoFactorSetting setting, long[] accountIds, SettingsUpdateResult result, CancellationToken cancellationToken)
    {
        if (audit is not null && result.Succeeded && !result.IsDryRun)
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

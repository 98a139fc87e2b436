using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;

namespace Navixy.TwoFactor.Settings;

/// <summary>
/// Registers and removes principals: validates input, then delegates to the directory store, which applies each operation
/// atomically. Removing a principal also removes its second-step state from the other stores (policy.md C10).
/// </summary>
internal sealed class TwoFactorDirectoryService(
    IPrincipalDirectoryStore directory,
    IChallengeStore challenges,
    ITotpEnrollmentStore enrollments,
    IRecoveryCodeStore recoveryCodes,
    IRememberedDeviceStore devices,
    IEnrollmentPeriodStore periods,
    TwoFactorAudit audit) : ITwoFactorDirectory
{
    private static readonly DirectoryResult Failed = DirectoryResult.Failed(DirectoryErrorCode.StoreFailed);

    public ValueTask<DirectoryResult> RegisterAccountAsync(TenantId tenant, long accountId, AccountOrigin origin = AccountOrigin.Created, bool isDemo = false, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (!Enum.IsDefined(origin))
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown account origin.");
        }

        return accountId <= 0
            ? new(DirectoryResult.Failed(DirectoryErrorCode.NonPositiveId))
            : audit.GuardAsync("account registration", tenant, accountId, Failed, ct => directory.AddAccountAsync(tenant, accountId, origin, isDemo, ct), cancellationToken);
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
            : audit.GuardAsync("sub-user registration", tenant, subUserId, Failed, ct => directory.AddSubUserAsync(tenant, subUserId, accountId, ct), cancellationToken);
    }

    public async ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (principalId <= 0)
        {
            return DirectoryResult.Failed(DirectoryErrorCode.NotFound);
        }

        var result = await audit.GuardAsync("principal removal", tenant, principalId, Failed, ct => directory.RemoveAsync(tenant, principalId, ct), cancellationToken).ConfigureAwait(false);
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

    public ValueTask<DirectoryPage?> ListAsync(TenantId tenant, long afterId = 0, int pageSize = 100, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, TwoFactorOptions.MaxDirectoryPageSize);
        return audit.GuardAsync<DirectoryPage?>("directory list", tenant, null, null, async ct => await directory.ListAsync(tenant, Math.Max(afterId, 0), pageSize, ct).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>
    /// Removes a principal's challenges and lockout, authenticator enrolment, recovery codes, remembered devices and enrolment
    /// period start (policy.md C10, G1). Each
    /// removal is idempotent; a store failure is logged and audited, the others still run, and the answer is false.
    /// </summary>
    private async ValueTask<bool> RemoveSecondStepStateAsync(TenantId tenant, long principalId)
    {
        var none = CancellationToken.None;
        var cleaned = await TryRemoveAsync(tenant, principalId, async () => await challenges.RemovePrincipalAsync(tenant, principalId, none).ConfigureAwait(false)).ConfigureAwait(false);
        cleaned &= await TryRemoveAsync(tenant, principalId, async () => await enrollments.DeleteAsync(tenant, principalId, none).ConfigureAwait(false)).ConfigureAwait(false);
        cleaned &= await TryRemoveAsync(tenant, principalId, async () => await recoveryCodes.DeleteAllAsync(tenant, principalId, none).ConfigureAwait(false)).ConfigureAwait(false);
        cleaned &= await TryRemoveAsync(tenant, principalId, async () => await devices.ForgetAsync(tenant, principalId, null, null, none).ConfigureAwait(false)).ConfigureAwait(false);
        cleaned &= await TryRemoveAsync(tenant, principalId, async () => await periods.ClearStartAsync(tenant, principalId, null, none).ConfigureAwait(false)).ConfigureAwait(false);
        return cleaned;
    }

    /// <summary>One removal: any failure (nothing is the caller's cancellation here) is reported and answers false.</summary>
    private ValueTask<bool> TryRemoveAsync(TenantId tenant, long principalId, Func<Task> removal) =>
        audit.GuardAsync("principal removal", tenant, principalId, false, async _ =>
        {
            await removal().ConfigureAwait(false);
            return true;
        }, CancellationToken.None);
}

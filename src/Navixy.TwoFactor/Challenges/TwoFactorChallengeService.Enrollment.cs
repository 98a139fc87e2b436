using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Stores.Tracing;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// The start's two answers that come before any challenge: a principal that must enrol (policy.md G1), and a remembered
/// device, which a lockout overrides (C4, D2). The factor is still chosen in one place, the start itself.
/// </summary>
internal sealed partial class TwoFactorChallengeService
{
    /// <summary>
    /// Only an authenticator could pass the principal and it has none. Its enrolment period begins at the first such start
    /// (recorded once, so a later or concurrent start answers the same end): inside it, enrol now until T; otherwise, and
    /// when the tenant has no period, enrolment required (with T when a period ended). A store failure answers failed.
    /// </summary>
    private async ValueTask<ChallengeStartResult> MustEnrolAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        EnrollmentPeriodState period;
        try
        {
            period = await _periods.BeginAsync(tenant, principalId, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "start", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        await RaiseAsync(TwoFactorAuditEventKind.TotpEnrollmentRequired, tenant, principalId, FactorTypes.Totp, now, cancellationToken).ConfigureAwait(false);
        return EnrollmentPeriodRule.IsInside(period, now) && period.EnrollUntil is { } until
            ? ChallengeStartResult.EnrollNow(until)
            : ChallengeStartResult.EnrollmentRequired(period.EnrollUntil);
    }

    /// <summary>
    /// A start presenting a device token. The lockout wins (C4 over D2): a principal locked now is answered locked with its
    /// end, and its token is not looked at (its last use stays as it was). Otherwise the token is honoured (not required) or
    /// ignored (<see langword="null"/>: the start goes on). The lockout comes with the start's read when the store reads it
    /// there, else from the challenge store; a challenge store that cannot tell has no token honoured (fail closed).
    /// </summary>
    private async ValueTask<ChallengeStartResult?> RememberedDeviceAsync(TenantId tenant, long principalId, Requirement requirement, string deviceToken, PrincipalLockState? lockout, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (lockout is null)
        {
            if (_lockouts is not { } reader)
            {
                await RaiseAsync(TwoFactorAuditEventKind.RememberedDeviceIgnored, tenant, principalId, FactorTypes.None, now, cancellationToken).ConfigureAwait(false);
                return null;
            }

            try
            {
                lockout = await reader.GetPrincipalStateAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
            {
                await _audit.StoreFailedAsync(exception, "start", tenant, principalId, cancellationToken).ConfigureAwait(false);
                return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
            }
        }

        if (lockout.Value.IsLockedAt(now))
        {
            var until = lockout.Value.LockedUntil!.Value;
            await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principalId, FactorTypes.None, now, cancellationToken, lockedUntil: until).ConfigureAwait(false);
            return ChallengeStartResult.PrincipalLocked(until);
        }

        return await _devices.HonoursAsync(tenant, principalId, requirement, deviceToken, cancellationToken).ConfigureAwait(false)
            ? ChallengeStartResult.NotRequired(NotRequiredReason.RememberedDevice)
            : null;
    }
}

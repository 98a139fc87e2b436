using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Stores.Tracing;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// A tenant administrator's operations on a principal's second step: resetting its authenticator (and with it its
/// enrolment period, policy.md G1) and unlocking it. Each
/// raises an audit event; a store failure answers the documented failure result, never an exception.
/// </summary>
internal sealed class TwoFactorAdministrationService : ITwoFactorAdministration
{
    private readonly IChallengeStore _challenges;
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly IRecoveryCodeStore _recoveryCodes;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly AuditTrailWriter _trail;
    private readonly IRememberedDeviceStore _devices;
    private readonly IEnrollmentPeriodStore _periods;
    private readonly ILogger _logger;

    public TwoFactorAdministrationService(
        IChallengeStore challenges,
        ITotpEnrollmentStore enrollments,
        IRecoveryCodeStore recoveryCodes,
        TwoFactorAudit audit,
        TimeProvider time,
        AuditTrailWriter trail,
        IRememberedDeviceStore devices,
        IEnrollmentPeriodStore periods,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(trail);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(challenges);
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        _challenges = challenges;
        _enrollments = enrollments;
        _recoveryCodes = recoveryCodes;
        _audit = audit;
        _time = time;
        _trail = trail;
        _devices = devices;
        _periods = periods;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    public async ValueTask<TotpEnrollmentResult> ResetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            // Remembered devices go first (policy.md D2): a reset that fails half-way leaves no device honoured.
            await _devices.ForgetAsync(tenant, principalId, null, null, cancellationToken).ConfigureAwait(false);
            bool removed;
            if (StoreDecorators.Unwrap(_enrollments) is IAuditedAuthenticatorStore audited && StoreDecorators.SameStore(_enrollments, _recoveryCodes))
            {
                // One store holds both: the removal and its audit entry are one atomic step (policy.md A2).
                var (enrollment, codes) = await audited.DeleteAuthenticatorAsync(tenant, principalId, AuditOperation.AdminReset, _trail.Context, cancellationToken).ConfigureAwait(false);
                removed = enrollment || codes > 0;
            }
            else
            {
                var removedEnrollment = await _enrollments.DeleteAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                var removedCodes = await _recoveryCodes.DeleteAllAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                removed = removedEnrollment || removedCodes > 0;
                if (removed)
                {
                    await _trail.AppendAsync(tenant, AuditOperation.AdminReset, principalId, FactorTypes.Totp, cancellationToken).ConfigureAwait(false);
                }
            }

            // G1: the reset starts the principal's enrolment period afresh, last, once the authenticator is gone. When the
            // period's start was all there was to reset, the store writes the reset's one entry with it (A2).
            var restarted = await _periods.ClearStartAsync(tenant, principalId, removed ? null : _trail.Context, cancellationToken).ConfigureAwait(false);
            if (!removed && !restarted)
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NotEnrolled);
            }

            await RaiseAsync(TwoFactorAuditEventKind.TotpReset, tenant, principalId, FactorTypes.Totp, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Reset);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "authenticator reset", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    public async ValueTask<PrincipalUnlockOutcome> UnlockAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            if (StoreDecorators.Unwrap(_challenges) is IAuditedPrincipalReset audited)
            {
                // The store writes the entry with the unlock (policy.md A2).
                if (!await audited.ResetPrincipalAsync(tenant, principalId, _trail.Context, cancellationToken).ConfigureAwait(false))
                {
                    return PrincipalUnlockOutcome.NothingToUnlock;
                }
            }
            else if (await _challenges.ResetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false))
            {
                await _trail.AppendAsync(tenant, AuditOperation.Unlock, principalId, FactorTypes.None, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                return PrincipalUnlockOutcome.NothingToUnlock;
            }
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "unlock", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return PrincipalUnlockOutcome.Failed;
        }

        await RaiseAsync(TwoFactorAuditEventKind.PrincipalUnlocked, tenant, principalId, FactorTypes.None, cancellationToken).ConfigureAwait(false);
        return PrincipalUnlockOutcome.Unlocked;
    }

    private ValueTask RaiseAsync(TwoFactorAuditEventKind kind, TenantId tenant, long principalId, FactorTypes factor, CancellationToken cancellationToken) =>
        _audit.RaiseAsync(
            new TwoFactorAuditEvent { Kind = kind, Tenant = tenant, Timestamp = _time.GetUtcNow(), PrincipalId = principalId, Factor = factor },
            cancellationToken);
}

using System.Security.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Tracing;

namespace Navixy.TwoFactor.Totp;

/// <summary>Regenerating recovery codes and turning an authenticator off, both behind step-up proof.</summary>
internal sealed partial class TotpEnrollmentService
{
    public async ValueTask<TotpEnrollmentResult> RegenerateRecoveryCodesAsync(TenantId tenant, long principalId, string? stepUpToken, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            var now = _time.GetUtcNow();
            var current = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (current?.IsEnrolled != true)
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NotEnrolled);
            }

            if (!await RedeemStepUpAsync(tenant, principalId, stepUpToken, cancellationToken).ConfigureAwait(false))
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.StepUpRequired);
            }

            var (display, stored) = _factor.CreateRecoveryCodes();
            await _recoveryCodes.ReplaceAsync(tenant, principalId, stored, cancellationToken).ConfigureAwait(false);

            // An administrator's reset or a disable may have removed the authenticator meanwhile: then these codes must not
            // outlive it (whichever of the two deletes last, no code is left without an authenticator).
            var after = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (after?.ActiveSecret is not { } active || !CryptographicOperations.FixedTimeEquals(active, current.ActiveSecret!))
            {
                await _recoveryCodes.DeleteAllAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NotEnrolled);
            }

            await RaiseAsync(TwoFactorAuditEventKind.RecoveryCodesRegenerated, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.RecoveryCodesRegenerated(display);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "recovery code regeneration", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    public async ValueTask<TotpEnrollmentResult> DisableAsync(TenantId tenant, long principalId, string? stepUpToken, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            var now = _time.GetUtcNow();
            var current = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (current?.IsEnrolled != true)
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NotEnrolled);
            }

            if (!await RedeemStepUpAsync(tenant, principalId, stepUpToken, cancellationToken).ConfigureAwait(false))
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.StepUpRequired);
            }

            await _devices.ForgetAsync(tenant, principalId, null, null, cancellationToken).ConfigureAwait(false);
            if (StoreDecorators.Unwrap(_enrollments) is IAuditedAuthenticatorStore audited && StoreDecorators.SameStore(_enrollments, _recoveryCodes))
            {
                // One store holds both: the removal and its audit entry are one atomic step (policy.md A2).
                await audited.DeleteAuthenticatorAsync(tenant, principalId, AuditOperation.EnrollmentRemoved, _trail.Context, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _enrollments.DeleteAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                await _recoveryCodes.DeleteAllAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                await _trail.AppendAsync(tenant, AuditOperation.EnrollmentRemoved, principalId, FactorTypes.Totp, cancellationToken).ConfigureAwait(false);
            }
            await RaiseAsync(TwoFactorAuditEventKind.TotpDisabled, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Disabled);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "authenticator disabling", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using OtpNet;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// Runs authenticator enrolment, recovery-code regeneration, self-service disabling (each sensitive change behind step-up
/// proof) and the administrator's reset. Secrets are encrypted before they reach a store and wiped after use; failures of
/// the resolver or a store answer <c>Failed</c>. Cancellation requested by the caller propagates.
/// </summary>
internal sealed class TotpEnrollmentService : ITotpEnrollment, ITwoFactorAdministration
{
    private readonly ITwoFactorResolver _resolver;
    private readonly IChallengeStore _challenges;
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly IRecoveryCodeStore _recoveryCodes;
    private readonly TotpFactor _factor;
    private readonly ChallengeHasher _hasher;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly ChallengeLimits _limits;
    private readonly ILogger _logger;

    public TotpEnrollmentService(
        ITwoFactorResolver resolver,
        IChallengeStore challenges,
        ITotpEnrollmentStore enrollments,
        IRecoveryCodeStore recoveryCodes,
        TotpFactor factor,
        ChallengeHasher hasher,
        TwoFactorAudit audit,
        TimeProvider time,
        IOptions<TwoFactorOptions> options,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(challenges);
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _challenges = challenges;
        _enrollments = enrollments;
        _recoveryCodes = recoveryCodes;
        _factor = factor;
        _hasher = hasher;
        _audit = audit;
        _time = time;
        _limits = ChallengeLimits.From(options.Value.Challenges);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    private TotpOptions Options => _factor.Options;

    public async ValueTask<TotpEnrollmentBeginResult> BeginAsync(TenantId tenant, long principalId, string issuer, string accountName, string? stepUpToken = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);

        var secret = KeyGeneration.GenerateRandomKey(TotpFactor.SecretLength);
        try
        {
            var requirement = await _resolver.ResolveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (requirement.Outcome == RequirementOutcome.UnknownPrincipal)
            {
                return TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.UnknownPrincipal);
            }

            var now = _time.GetUtcNow();
            var current = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (current?.IsEnrolled == true && !await RedeemStepUpAsync(tenant, principalId, stepUpToken, now, cancellationToken).ConfigureAwait(false))
            {
                return TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.StepUpRequired);
            }

            var expiresAt = now + Options.PendingEnrollmentLifetime;
            await _enrollments.SavePendingAsync(tenant, principalId, _factor.Protect(tenant, principalId, secret), expiresAt, cancellationToken).ConfigureAwait(false);
            var parameters = Options.Parameters;
            var result = TotpEnrollmentBeginResult.Begun(
                Base32Encoding.ToString(secret).TrimEnd('='),
                OtpAuthUri.Create(issuer, accountName, secret, parameters),
                expiresAt,
                parameters);
            await RaiseAsync(TwoFactorAuditEventKind.TotpEnrollmentBegun, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "authenticator enrolment", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.Failed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public async ValueTask<TotpEnrollmentResult> ConfirmAsync(TenantId tenant, long principalId, string? code, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var now = _time.GetUtcNow();
        if (!TotpCalculator.IsWellFormed(code, Options.Parameters.Digits))
        {
            await RaiseAsync(TwoFactorAuditEventKind.InvalidInput, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.InvalidInput);
        }

        try
        {
            var current = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (current?.PendingSecret is not { } pending)
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NoPendingEnrollment);
            }

            if (now >= current.PendingExpiresAt)
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Expired);
            }

            if (!_factor.TryUnprotect(tenant, principalId, pending, out var secret))
            {
                await SecretUnreadableAsync(tenant, principalId, now, cancellationToken).ConfigureAwait(false);
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
            }

            long? step;
            try
            {
                step = _factor.FindStep(secret, code, now);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }

            if (step is not { } matched)
            {
                return await ConfirmationFailedAsync(tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            }

            if (!await _enrollments.ActivatePendingAsync(tenant, principalId, pending, matched, now, cancellationToken).ConfigureAwait(false))
            {
                // A concurrent confirmation, a later begin or the expiry got there first.
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NoPendingEnrollment);
            }

            // Only the confirmation that won pays for the slow hashes, so concurrent confirmations cannot multiply the cost.
            var (display, stored) = _factor.CreateRecoveryCodes();
            await _recoveryCodes.ReplaceAsync(tenant, principalId, stored, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(TwoFactorAuditEventKind.TotpEnrollmentConfirmed, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Confirmed(display);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "authenticator confirmation", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    public async ValueTask<TotpEnrollmentStatus> GetStatusAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var now = _time.GetUtcNow();
        var current = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        var left = await _recoveryCodes.CountUnusedAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        return new TotpEnrollmentStatus(
            current?.IsEnrolled == true,
            current?.PendingSecret is not null && now < current.PendingExpiresAt,
            left);
    }

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

            if (!await RedeemStepUpAsync(tenant, principalId, stepUpToken, now, cancellationToken).ConfigureAwait(false))
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.StepUpRequired);
            }

            var (display, stored) = _factor.CreateRecoveryCodes();
            await _recoveryCodes.ReplaceAsync(tenant, principalId, stored, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(TwoFactorAuditEventKind.RecoveryCodesRegenerated, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.RecoveryCodesRegenerated(display);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "recovery code regeneration", tenant, principalId, cancellationToken).ConfigureAwait(false);
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

            if (!await RedeemStepUpAsync(tenant, principalId, stepUpToken, now, cancellationToken).ConfigureAwait(false))
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.StepUpRequired);
            }

            await _enrollments.DeleteAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            await _recoveryCodes.DeleteAllAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(TwoFactorAuditEventKind.TotpDisabled, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Disabled);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "authenticator disabling", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    public async ValueTask<TotpEnrollmentResult> ResetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            var removedEnrollment = await _enrollments.DeleteAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            var removedCodes = await _recoveryCodes.DeleteAllAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (!removedEnrollment && removedCodes == 0)
            {
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NotEnrolled);
            }

            await RaiseAsync(TwoFactorAuditEventKind.TotpReset, tenant, principalId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Reset);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "authenticator reset", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    /// <summary>
    /// Redeems the token of a challenge this principal passed within the step-up lifetime, once. A malformed token is
    /// refused before any store is asked.
    /// </summary>
    private async ValueTask<bool> RedeemStepUpAsync(TenantId tenant, long principalId, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var redeemed = ChallengeToken.IsWellFormed(token)
            && await _challenges.RedeemStepUpAsync(tenant, _hasher.HashToken(token!), principalId, now - Options.StepUpLifetime, now, cancellationToken).ConfigureAwait(false);
        await RaiseAsync(redeemed ? TwoFactorAuditEventKind.StepUpAccepted : TwoFactorAuditEventKind.StepUpRefused, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
        return redeemed;
    }

    /// <summary>Counts a wrong confirmation code toward the principal's lockout, as a wrong login code would.</summary>
    private async ValueTask<TotpEnrollmentResult> ConfirmationFailedAsync(TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counted = await _challenges.RecordFailureAsync(tenant, principalId, now, _limits, cancellationToken).ConfigureAwait(false);
        await RaiseAsync(TwoFactorAuditEventKind.TotpConfirmationFailed, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
        switch (counted.Outcome)
        {
            case ChallengeStoreOutcome.PrincipalLocked when counted.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principalId, now, cancellationToken, until).ConfigureAwait(false);
                return TotpEnrollmentResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.WrongCode when counted.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.PrincipalLocked, tenant, principalId, now, cancellationToken, until).ConfigureAwait(false);
                return TotpEnrollmentResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.WrongCode:
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.WrongCode);

            default:
                // An answer RecordFailureAsync cannot give: a faulty store. Still not confirmed.
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    private async ValueTask SecretUnreadableAsync(TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        TwoFactorLog.TotpSecretUnreadable(_logger, tenant.Value, principalId);
        await RaiseAsync(TwoFactorAuditEventKind.TotpSecretUnreadable, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask StoreFailedAsync(Exception exception, string operation, TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        TwoFactorLog.StoreFailed(_logger, exception, operation, tenant.Value);
        await RaiseAsync(TwoFactorAuditEventKind.StoreFailed, tenant, principalId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask RaiseAsync(TwoFactorAuditEventKind kind, TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken, DateTimeOffset? lockedUntil = null) =>
        _audit.RaiseAsync(
            new TwoFactorAuditEvent
            {
                Kind = kind,
                Tenant = tenant,
                Timestamp = now,
                PrincipalId = principalId,
                Factor = FactorTypes.Totp,
                LockedUntil = lockedUntil,
            },
            cancellationToken);

    /// <summary>Any exception is a failure to answer with <c>Failed</c>, except the caller's own cancellation.</summary>
    private static bool IsFailure(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);
}

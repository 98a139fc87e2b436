using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;
using Navixy.TwoFactor.Stores.Tracing;
using OtpNet;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// Runs authenticator enrolment (this file) and recovery-code regeneration and self-service disabling (the other part),
/// each sensitive change behind step-up proof whenever any second step applies to the principal (policy.md T4). A pending
/// enrolment is confirmed through a challenge of its own, so a confirmation code goes through
/// <see cref="SecondStepRules"/> like every other code: the principal's lockout is checked before the code is evaluated,
/// the pending enrolment takes at most <c>Challenges.MaxAttempts</c> codes, and each wrong one counts toward the lockout. Secrets are encrypted before they reach a store and wiped after use; failures of
/// the resolver or a store answer <c>Failed</c>. Cancellation requested by the caller propagates.
/// </summary>
internal sealed partial class TotpEnrollmentService : ITotpEnrollment
{
    private static readonly byte[] ConfirmationLabel = "Navixy.TwoFactor/totp-confirmation/v1"u8.ToArray();

    private readonly ITwoFactorResolver _resolver;
    private readonly IChallengeStore _challenges;
    private readonly StepUpService _stepUp;
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly IRecoveryCodeStore _recoveryCodes;
    private readonly TotpFactor _factor;
    private readonly ChallengeHasher _hasher;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly ChallengeLimits _limits;
    private readonly TimeSpan _challengeLifetime;
    private readonly bool _emailAvailable;
    private readonly AuditTrailWriter _trail;
    private readonly IRememberedDeviceStore _devices;
    private readonly ILogger _logger;

    public TotpEnrollmentService(
        ITwoFactorResolver resolver,
        IChallengeStore challenges,
        StepUpService stepUp,
        ITotpEnrollmentStore enrollments,
        IRecoveryCodeStore recoveryCodes,
        TotpFactor factor,
        ChallengeHasher hasher,
        IEnumerable<IEmailCodeSender> senders,
        TwoFactorAudit audit,
        TimeProvider time,
        IOptions<TwoFactorOptions> options,
        AuditTrailWriter trail,
        IRememberedDeviceStore devices,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(trail);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(challenges);
        ArgumentNullException.ThrowIfNull(stepUp);
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(senders);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _challenges = challenges;
        _stepUp = stepUp;
        _enrollments = enrollments;
        _recoveryCodes = recoveryCodes;
        _factor = factor;
        _hasher = hasher;
        _emailAvailable = senders.Any();
        _audit = audit;
        _time = time;
        _limits = ChallengeLimits.From(options.Value.Challenges);
        _challengeLifetime = options.Value.Challenges.ChallengeLifetime;
        _trail = trail;
        _devices = devices;
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

            // T4: whenever a second step applies (an authenticator is active, or a second step is required and the principal
            // can pass one by email), binding an app needs a fresh pass, so a stolen session cannot bind its own app and take
            // the recovery codes. A principal that may pass only with an authenticator it lacks has no second step to give:
            // it enrols on the host's say-so (start answered EnrollNow inside its enrolment period, G1, or EnrollmentRequired).
            var stepUp = current?.IsEnrolled == true
                || (requirement.IsRequired && (requirement.Factors & FactorTypes.Email) != 0 && _emailAvailable);
            if (stepUp && !await RedeemStepUpAsync(tenant, principalId, stepUpToken, cancellationToken).ConfigureAwait(false))
            {
                return TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.StepUpRequired);
            }

            // Behind step-up, the confirmation must also come within the step-up lifetime.
            var lifetime = stepUp && Options.StepUpLifetime < Options.PendingEnrollmentLifetime ? Options.StepUpLifetime : Options.PendingEnrollmentLifetime;
            var expiresAt = now + (lifetime < _challengeLifetime ? lifetime : _challengeLifetime);
            var blob = _factor.Protect(tenant, principalId, secret);
            var challenge = new NewChallenge(tenant, principalId, FactorTypes.Totp, ConfirmationTokenHash(blob), RandomNumberGenerator.GetBytes(ChallengeHasher.HashLength), now, expiresAt, expiresAt, expiresAt);
            var created = await _challenges.CreateAsync(challenge, _limits, cancellationToken).ConfigureAwait(false);
            if (created.Outcome == ChallengeStoreOutcome.PrincipalLocked && created.LockedUntil is { } until)
            {
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principalId, now, cancellationToken, until).ConfigureAwait(false);
                return TotpEnrollmentBeginResult.PrincipalLocked(until);
            }

            if (created.Outcome != ChallengeStoreOutcome.Created)
            {
                return TotpEnrollmentBeginResult.Of(TotpEnrollmentOutcome.Failed);
            }

            await _enrollments.SavePendingAsync(tenant, principalId, blob, expiresAt, cancellationToken).ConfigureAwait(false);
            var parameters = Options.Parameters;
            var result = TotpEnrollmentBeginResult.Begun(
                Base32Encoding.ToString(secret).TrimEnd('='),
                OtpAuthUri.Create(issuer, accountName, secret, parameters),
                expiresAt,
                parameters);
            await RaiseAsync(TwoFactorAuditEventKind.TotpEnrollmentBegun, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "authenticator enrolment", tenant, principalId, cancellationToken).ConfigureAwait(false);
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

            // The rules first: a locked principal or a pending enrolment out of attempts is refused before the code is evaluated.
            var tokenHash = ConfirmationTokenHash(pending);
            var reserved = await BusyChallenge.RunAsync(ct => _challenges.ReserveAsync(tenant, tokenHash, now, _limits, ct), cancellationToken).ConfigureAwait(false);
            if (reserved.Outcome != ChallengeStoreOutcome.Reserved)
            {
                return await RefusedConfirmationAsync(reserved, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            }

            long? step = null;
            var readable = false;
            try
            {
                if (_factor.TryUnprotect(tenant, principalId, pending, out var secret))
                {
                    readable = true;
                    try
                    {
                        step = _factor.FindStep(secret, code, now);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(secret);
                    }
                }
            }
            catch
            {
                await _challenges.SettleAsync(tenant, tokenHash, ChallengeSettlement.Release, now, _limits, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            var settlement = !readable ? ChallengeSettlement.Release : step is null ? ChallengeSettlement.WrongCode : ChallengeSettlement.Pass;
            var settled = await _challenges.SettleAsync(tenant, tokenHash, settlement, now, _limits, CancellationToken.None).ConfigureAwait(false);
            if (!readable)
            {
                await SecretUnreadableAsync(tenant, principalId, now, cancellationToken).ConfigureAwait(false);
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
            }

            if (settled.Outcome != ChallengeStoreOutcome.Passed || step is not { } matched)
            {
                return await RefusedConfirmationAsync(settled, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            }

            var audited = StoreDecorators.Unwrap(_enrollments) as IAuditedAuthenticatorStore;
            var activated = audited is not null
                ? await audited.ActivatePendingAsync(tenant, principalId, pending, matched, now, _trail.Context, cancellationToken).ConfigureAwait(false)
                : await _enrollments.ActivatePendingAsync(tenant, principalId, pending, matched, now, cancellationToken).ConfigureAwait(false);
            if (!activated)
            {
                // A later begin, a reset or the expiry got there first.
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NoPendingEnrollment);
            }

            // A new or replaced authenticator voids the principal's remembered devices (policy.md D2).
            await _devices.ForgetAsync(tenant, principalId, null, null, cancellationToken).ConfigureAwait(false);

            // Only the confirmation that won pays for the slow hashes, so concurrent confirmations cannot multiply the cost.
            var (display, stored) = _factor.CreateRecoveryCodes();
            await _recoveryCodes.ReplaceAsync(tenant, principalId, stored, cancellationToken).ConfigureAwait(false);
            if (audited is null)
            {
                await _trail.AppendAsync(tenant, AuditOperation.EnrollmentAdded, principalId, FactorTypes.Totp, cancellationToken).ConfigureAwait(false);
            }

            await RaiseAsync(TwoFactorAuditEventKind.TotpEnrollmentConfirmed, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Confirmed(display);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "authenticator confirmation", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    public ValueTask<TotpEnrollmentStatus?> GetStatusAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return _audit.GuardAsync<TotpEnrollmentStatus?>("authenticator status", tenant, principalId, null, async ct =>
        {
            var now = _time.GetUtcNow();
            var current = await _enrollments.GetAsync(tenant, principalId, ct).ConfigureAwait(false);
            var left = await _recoveryCodes.CountUnusedAsync(tenant, principalId, ct).ConfigureAwait(false);
            return new TotpEnrollmentStatus(current?.IsEnrolled == true, current?.PendingSecret is not null && now < current.PendingExpiresAt, left);
        }, cancellationToken);
    }

    /// <summary>Redeems step-up proof through the one step-up check (<see cref="StepUpService"/>).</summary>
    private ValueTask<bool> RedeemStepUpAsync(TenantId tenant, long principalId, string? token, CancellationToken cancellationToken) =>
        _stepUp.RedeemAsync(tenant, principalId, token, FactorTypes.Totp, cancellationToken);

    /// <summary>
    /// The key of a pending enrolment's confirmation challenge: a hash of its protected secret under its own label, so each
    /// begin has its own challenge (and its own attempts), and no token is handed out. It is not keyed: no caller presents
    /// it (confirmation names the principal), it is a hash of a ciphertext the store already holds, and so it outlives a
    /// change of the primary key (security.md item 36); the label keeps it apart from every keyed token hash.
    /// </summary>
    private static byte[] ConfirmationTokenHash(byte[] pendingBlob) => SHA256.HashData([.. ConfirmationLabel, .. pendingBlob]);

    /// <summary>Answers a confirmation the rules refused or counted as wrong, raising its audit events.</summary>
    private async ValueTask<TotpEnrollmentResult> RefusedConfirmationAsync(ChallengeStoreResult stored, TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (stored.Outcome)
        {
            case ChallengeStoreOutcome.PrincipalLocked when stored.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principalId, now, cancellationToken, until).ConfigureAwait(false);
                return TotpEnrollmentResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.WrongCode:
                await RaiseAsync(TwoFactorAuditEventKind.TotpConfirmationFailed, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
                if (stored.LockedUntil is { } lockedUntil)
                {
                    await RaiseAsync(TwoFactorAuditEventKind.PrincipalLocked, tenant, principalId, now, cancellationToken, lockedUntil).ConfigureAwait(false);
                    return TotpEnrollmentResult.PrincipalLocked(lockedUntil);
                }

                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.WrongCode);

            case ChallengeStoreOutcome.Locked:
                await RaiseAsync(TwoFactorAuditEventKind.LockedChallengeAttempt, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Locked);

            case ChallengeStoreOutcome.Expired:
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Expired);

            case ChallengeStoreOutcome.Consumed:
            case ChallengeStoreOutcome.NotFound:
                // Confirmed by a concurrent call, replaced by a later begin, or its challenge revoked: begin again.
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.NoPendingEnrollment);

            default:
                return TotpEnrollmentResult.Of(TotpEnrollmentOutcome.Failed);
        }
    }

    private async ValueTask SecretUnreadableAsync(TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        TwoFactorLog.TotpSecretUnreadable(_logger, tenant.Value, principalId);
        await RaiseAsync(TwoFactorAuditEventKind.TotpSecretUnreadable, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
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
}

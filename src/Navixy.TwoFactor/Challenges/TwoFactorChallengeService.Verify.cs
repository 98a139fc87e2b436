using System.Security.Cryptography;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Verifying a code. An email code is one atomic store call (<see cref="IChallengeStore.VerifyAsync"/>). An authenticator
/// or recovery code is reserve → evaluate → settle: the store reserves the attempt (refusing a consumed, locked or
/// expired challenge and a locked principal before anything is read), the engine evaluates the code, and the store
/// settles the verdict, spending the time step or recovery code together with the pass. A copy of a right code
/// answers already used and never counts as a failure (policy.md C4, C5).
/// </summary>
internal sealed partial class TwoFactorChallengeService
{
    /// <summary>
    /// The digest of a presented email code. A malformed code is evaluated as a wrong one (it spends an attempt and
    /// counts towards the principal's lockout) against a random digest that cannot match, so hostile input buys an
    /// attacker nothing extra.
    /// </summary>
    private byte[] EmailDigest(string token, byte[] tokenHash, string? code) =>
        ChallengeCode.IsWellFormed(code, _options.CodeLength)
            ? _hasher.DigestCode(token, tokenHash, code!)
            : RandomNumberGenerator.GetBytes(ChallengeHasher.HashLength);

    public async ValueTask<ChallengeVerifyResult> VerifyAsync(TenantId tenant, string? token, string? code, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var now = _time.GetUtcNow();
        if (!ChallengeToken.IsWellFormed(token))
        {
            await RaiseAsync(TwoFactorAuditEventKind.InvalidInput, tenant, null, FactorTypes.None, now, cancellationToken).ConfigureAwait(false);
            return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.InvalidInput);
        }

        var tokenHash = _hasher.HashToken(token!);
        var recoveryCode = RecoveryCodes.Normalize(code);
        try
        {
            if (ChallengeToken.IsEmail(token!) && recoveryCode is null)
            {
                // An email code: one store statement checks, reserves the attempt, compares and consumes.
                var digest = EmailDigest(token!, tokenHash, code);
                var verified = await BusyChallenge.RunAsync(ct => _store.VerifyAsync(tenant, tokenHash, digest, now, _limits, ct), cancellationToken).ConfigureAwait(false);
                return await MapAsync(verified, tenant, FactorTypes.Email, now, cancellationToken).ConfigureAwait(false);
            }

            // A login that checked an authenticator secret a key re-wrap swapped meanwhile is evaluated once more (item 36).
            for (var mayRetry = true; ; mayRetry = false)
            {
                // A store that reads the enrolment or recovery codes together with the reservation saves a round trip.
                ReservedAttempt? attempt = null;
                var reserved = _store is IChallengeAttemptStore attempts
                    ? await BusyChallenge.RunAsync(
                        async ct => (attempt = await attempts.ReserveAndReadAsync(tenant, tokenHash, recoveryCode is null ? null : RecoveryCodes.LookupIdOf(recoveryCode), now, _limits, ct).ConfigureAwait(false)).Reservation,
                        cancellationToken).ConfigureAwait(false)
                    : await BusyChallenge.RunAsync(ct => _store.ReserveAsync(tenant, tokenHash, now, _limits, ct), cancellationToken).ConfigureAwait(false);
                if (reserved.Outcome != ChallengeStoreOutcome.Reserved)
                {
                    // Only a refusal may come back instead of a reservation; anything else (a pass, say) is a faulty store.
                    return reserved.Outcome is ChallengeStoreOutcome.NotFound or ChallengeStoreOutcome.Consumed or ChallengeStoreOutcome.Locked
                        or ChallengeStoreOutcome.Expired or ChallengeStoreOutcome.PrincipalLocked
                        ? await MapAsync(reserved, tenant, reserved.Factor, now, cancellationToken).ConfigureAwait(false)
                        : ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed);
                }

                var (result, secretMoved) = await EvaluateAndSettleAsync(tenant, tokenHash, reserved.PrincipalId, reserved.Factor, code, recoveryCode, attempt, now, mayRetry, cancellationToken).ConfigureAwait(false);
                if (!secretMoved)
                {
                    return result;
                }
            }
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "verify", tenant, null, cancellationToken).ConfigureAwait(false);
            return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed);
        }
    }

    /// <summary>
    /// Evaluates the code of a reserved attempt and settles the verdict. The reservation is always settled, also when
    /// the evaluation fails or is cancelled (then it is released, counting nothing). What <paramref name="attempt"/> read
    /// with the reservation is used instead of reading it again. When a right authenticator code could not spend its step
    /// because the active secret is now another blob (a key re-wrap swapped it between the read and the settle) and
    /// <paramref name="mayRetry"/>, nothing is answered and the caller evaluates once more against the new blob.
    /// </summary>
    private async ValueTask<(ChallengeVerifyResult Result, bool SecretMoved)> EvaluateAndSettleAsync(TenantId tenant, byte[] tokenHash, long principal, FactorTypes factor, string? code, string? recoveryCode, ReservedAttempt? attempt, DateTimeOffset now, bool mayRetry, CancellationToken cancellationToken)
    {
        var settlement = ChallengeSettlement.Release;
        var releasedAs = ChallengeVerifyOutcome.Failed;
        try
        {
            if (recoveryCode is not null)
            {
                var (match, alreadyUsed) = attempt is null
                    ? await _totp.FindRecoveryCodeAsync(tenant, principal, recoveryCode, cancellationToken).ConfigureAwait(false)
                    : AuthenticatorCodeCheck.FindRecoveryCode(recoveryCode, attempt.UnusedRecoveryCodes, attempt.UsedRecoveryCodes);
                if (alreadyUsed)
                {
                    // A copy of a code already redeemed: already used, never a failure (C5).
                    releasedAs = ChallengeVerifyOutcome.AlreadyUsed;
                }
                else
                {
                    settlement = match is null ? ChallengeSettlement.WrongCode : ChallengeSettlement.PassWithRecoveryCode(match);
                    await RaiseAsync(match is null ? TwoFactorAuditEventKind.RecoveryCodeRejected : TwoFactorAuditEventKind.RecoveryCodeUsed, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (factor == FactorTypes.Totp)
            {
                var evaluated = attempt is null
                    ? await _totp.EvaluateLoginCodeAsync(tenant, principal, code, now, cancellationToken).ConfigureAwait(false)
                    : _totp.EvaluateLoginCode(tenant, principal, attempt.Enrollment, code, now);
                switch (evaluated.Check)
                {
                    case TotpCheck.Accepted:
                        settlement = ChallengeSettlement.PassWithTimeStep(evaluated.ActiveSecret!, evaluated.Step);
                        break;

                    case TotpCheck.Replayed:
                        // A copy of a code already accepted: already used, never a failure.
                        releasedAs = ChallengeVerifyOutcome.AlreadyUsed;
                        await RaiseAsync(TwoFactorAuditEventKind.TotpReplayRefused, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                        break;

                    case TotpCheck.SecretUnreadable:
                        TwoFactorLog.TotpSecretUnreadable(_logger, tenant.Value, principal);
                        await RaiseAsync(TwoFactorAuditEventKind.TotpSecretUnreadable, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                        break;

                    default:
                        // A wrong or malformed code, or an authenticator removed since the start.
                        settlement = ChallengeSettlement.WrongCode;
                        break;
                }
            }
            else
            {
                // An email challenge reached here only with a recovery code; any other factor is a faulty store: release.
                settlement = ChallengeSettlement.Release;
            }
        }
        catch
        {
            await _store.SettleAsync(tenant, tokenHash, ChallengeSettlement.Release, now, _limits, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var settled = await _store.SettleAsync(tenant, tokenHash, settlement, now, _limits, CancellationToken.None).ConfigureAwait(false);
        switch (settled.Outcome)
        {
            case ChallengeStoreOutcome.Released:
                return (ChallengeVerifyResult.Of(releasedAs), false);

            case ChallengeStoreOutcome.Passed when !settlement.IsPass:
            case ChallengeStoreOutcome.WrongCode when settlement.Kind != ChallengeSettlementKind.WrongCode:
                // An answer that does not fit the verdict: a faulty store. Fail closed.
                return (ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed), false);

            case ChallengeStoreOutcome.Consumed when mayRetry && settlement.Kind == ChallengeSettlementKind.PassWithTimeStep
                && await _totp.ActiveSecretMovedAsync(tenant, principal, settlement.ActiveSecret!, CancellationToken.None).ConfigureAwait(false):
                return (default, true);

            default:
                return (await MapAsync(settled, tenant, factor, now, cancellationToken).ConfigureAwait(false), false);
        }
    }

    /// <summary>Turns a store's answer to a verify, reserve or settle into the caller's answer, raising its audit events.</summary>
    private async ValueTask<ChallengeVerifyResult> MapAsync(ChallengeStoreResult stored, TenantId tenant, FactorTypes factor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var principal = stored.PrincipalId;
        switch (stored.Outcome)
        {
            case ChallengeStoreOutcome.Passed:
                await RaiseAsync(TwoFactorAuditEventKind.Passed, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Passed(principal);

            case ChallengeStoreOutcome.WrongCode:
                var attemptsLeft = Math.Max(0, _limits.MaxAttempts - stored.Attempts);
                await RaiseAsync(TwoFactorAuditEventKind.WrongCode, tenant, principal, factor, now, cancellationToken, attemptsLeft: attemptsLeft).ConfigureAwait(false);
                if (attemptsLeft == 0)
                {
                    await RaiseAsync(TwoFactorAuditEventKind.ChallengeLocked, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                }

                if (stored.LockedUntil is { } lockedUntil)
                {
                    await RaiseAsync(TwoFactorAuditEventKind.PrincipalLocked, tenant, principal, factor, now, cancellationToken, lockedUntil: lockedUntil).ConfigureAwait(false);
                    return ChallengeVerifyResult.PrincipalLocked(lockedUntil);
                }

                return ChallengeVerifyResult.WrongCode(attemptsLeft);

            case ChallengeStoreOutcome.PrincipalLocked when stored.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principal, factor, now, cancellationToken, lockedUntil: until).ConfigureAwait(false);
                return ChallengeVerifyResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.Expired:
                await RaiseAsync(TwoFactorAuditEventKind.Expired, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Expired);

            case ChallengeStoreOutcome.Locked:
                await RaiseAsync(TwoFactorAuditEventKind.LockedChallengeAttempt, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Locked);

            case ChallengeStoreOutcome.Consumed:
                await RaiseAsync(TwoFactorAuditEventKind.Replayed, tenant, principal, factor, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.AlreadyUsed);

            case ChallengeStoreOutcome.NotFound:
                await RaiseAsync(TwoFactorAuditEventKind.UnknownToken, tenant, null, FactorTypes.None, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.UnknownToken);

            default:
                // Busy past the wait, or an answer a verify cannot give (a faulty store): fail closed.
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed);
        }
    }
}

using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Challenges;

/// <summary>Resending an email code and unlocking a principal.</summary>
internal sealed partial class TwoFactorChallengeService
{
    public async ValueTask<ChallengeResendResult> ResendAsync(TenantId tenant, string? token, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var now = _time.GetUtcNow();
        if (!ChallengeToken.IsWellFormed(token))
        {
            await RaiseAsync(TwoFactorAuditEventKind.InvalidInput, tenant, null, FactorTypes.None, now, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.InvalidInput);
        }

        var tokenHash = _hasher.HashToken(token!);
        if (_sender is null)
        {
            // No email challenge can have been started here; an authenticator challenge has nothing to send.
            return await ResendWithoutSenderAsync(tenant, tokenHash, now, cancellationToken).ConfigureAwait(false);
        }

        var code = ChallengeCode.Generate(_options.CodeLength);
        var digest = _hasher.DigestCode(token!, tokenHash, code);

        ChallengeStoreResult stored;
        try
        {
            stored = await BusyChallenge.RunAsync(ct => _store.ReplaceCodeAsync(tenant, tokenHash, digest, now, now + _options.CodeLifetime, now + _options.ResendCooldown, _limits, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "resend", tenant, null, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.Failed);
        }

        var principal = stored.PrincipalId;
        const FactorTypes email = FactorTypes.Email;
        switch (stored.Outcome)
        {
            case ChallengeStoreOutcome.CodeReplaced:
                await RaiseAsync(TwoFactorAuditEventKind.CodeResent, tenant, principal, email, now, cancellationToken).ConfigureAwait(false);
                if (!await SendAsync(_sender, new EmailCodeMessage(tenant, principal, code, stored.CodeExpiresAt, stored.Sends), tokenHash, now, cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeResendResult.Of(ChallengeResendOutcome.DeliveryFailed);
                }

                return ChallengeResendResult.Sent(stored.CodeExpiresAt, stored.ResendAvailableAt, Math.Max(0, _limits.MaxSends - stored.Sends));

            case ChallengeStoreOutcome.NoCodeToSend:
                await RaiseAsync(TwoFactorAuditEventKind.ResendRefused, tenant, principal, stored.Factor, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.NothingToSend);

            case ChallengeStoreOutcome.TooSoon:
                await RaiseAsync(TwoFactorAuditEventKind.ResendRefused, tenant, principal, email, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.TooSoon(stored.ResendAvailableAt - now);

            case ChallengeStoreOutcome.SendLimitReached:
                await RaiseAsync(TwoFactorAuditEventKind.ResendRefused, tenant, principal, email, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.LimitReached);

            case ChallengeStoreOutcome.PrincipalLocked when stored.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principal, email, now, cancellationToken, lockedUntil: until).ConfigureAwait(false);
                return ChallengeResendResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.Expired:
                await RaiseAsync(TwoFactorAuditEventKind.Expired, tenant, principal, email, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.Expired);

            case ChallengeStoreOutcome.Locked:
                await RaiseAsync(TwoFactorAuditEventKind.LockedChallengeAttempt, tenant, principal, email, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.Locked);

            case ChallengeStoreOutcome.Consumed:
                await RaiseAsync(TwoFactorAuditEventKind.Replayed, tenant, principal, email, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.AlreadyUsed);

            case ChallengeStoreOutcome.NotFound:
                await RaiseAsync(TwoFactorAuditEventKind.UnknownToken, tenant, null, FactorTypes.None, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.UnknownToken);

            default:
                return ChallengeResendResult.Of(ChallengeResendOutcome.Failed);
        }
    }

    private async ValueTask<ChallengeResendResult> ResendWithoutSenderAsync(TenantId tenant, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ChallengeStoreResult found;
        try
        {
            found = await _store.FindAsync(tenant, tokenHash, now, _limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "resend", tenant, null, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.Failed);
        }

        if (found.Outcome == ChallengeStoreOutcome.NotFound)
        {
            await RaiseAsync(TwoFactorAuditEventKind.UnknownToken, tenant, null, FactorTypes.None, now, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.UnknownToken);
        }

        if (found.Factor != FactorTypes.Email)
        {
            await RaiseAsync(TwoFactorAuditEventKind.ResendRefused, tenant, found.PrincipalId, found.Factor, now, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.NothingToSend);
        }

        // Only reachable when the sender registration vanished after email challenges were started.
        return ChallengeResendResult.Of(ChallengeResendOutcome.DeliveryFailed);
    }
}

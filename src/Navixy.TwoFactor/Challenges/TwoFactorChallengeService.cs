using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Runs the email second step. It computes every hash and digest itself and hands the store one atomic call per
/// operation, with the time from its <see cref="TimeProvider"/>; the store never sees a code or a token.
/// Failures of the resolver or a store answer <c>Failed</c>, never passed; failures of the host's sender withdraw
/// the challenge. Cancellation requested by the caller propagates as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class TwoFactorChallengeService : ITwoFactorChallenges
{
    private readonly ITwoFactorResolver _resolver;
    private readonly IChallengeStore _store;
    private readonly IEmailCodeSender? _sender;
    private readonly ChallengeHasher _hasher;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly ChallengeOptions _options;
    private readonly ChallengeLimits _limits;
    private readonly ILogger _logger;

    public TwoFactorChallengeService(
        ITwoFactorResolver resolver,
        IChallengeStore store,
        IEnumerable<IEmailCodeSender> senders,
        ChallengeHasher hasher,
        TwoFactorAudit audit,
        TimeProvider time,
        IOptions<TwoFactorOptions> options,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(senders);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _store = store;
        _sender = senders.LastOrDefault();
        _hasher = hasher;
        _audit = audit;
        _time = time;
        _options = options.Value.Challenges;
        _limits = ChallengeLimits.From(_options);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    public async ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);

        Requirement requirement;
        try
        {
            requirement = await _resolver.ResolveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "start", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        switch (requirement.Outcome)
        {
            case RequirementOutcome.NotRequired:
                return ChallengeStartResult.NotRequired(requirement.Reason);
            case RequirementOutcome.Required:
                break;
            default:
                return ChallengeStartResult.Of(ChallengeStartOutcome.UnknownPrincipal);
        }

        if ((requirement.Factors & FactorTypes.Email) == 0 || _sender is null)
        {
            TwoFactorLog.FactorUnavailable(_logger, tenant.Value, principalId, requirement.Factors, (requirement.Factors & FactorTypes.Email) == 0
                ? "only email codes run in this version"
                : "no IEmailCodeSender is registered (TwoFactorBuilder.AddEmailCodeSender<T>())");
            return ChallengeStartResult.Of(ChallengeStartOutcome.FactorUnavailable);
        }

        var now = _time.GetUtcNow();
        var token = ChallengeToken.Create();
        var tokenHash = _hasher.HashToken(token);
        var code = ChallengeCode.Generate(_options.CodeLength);
        var expiresAt = now + _options.ChallengeLifetime;
        var codeExpiresAt = Min(now + _options.CodeLifetime, expiresAt);
        var resendAt = now + _options.ResendCooldown;
        var challenge = new NewChallenge(tenant, principalId, FactorTypes.Email, tokenHash, _hasher.DigestCode(tokenHash, code), now, codeExpiresAt, expiresAt, resendAt);

        ChallengeStoreResult created;
        try
        {
            created = await _store.CreateAsync(challenge, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "start", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        if (created.Outcome == ChallengeStoreOutcome.PrincipalLocked && created.LockedUntil is { } lockedUntil)
        {
            await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principalId, now, cancellationToken, lockedUntil: lockedUntil).ConfigureAwait(false);
            return ChallengeStartResult.PrincipalLocked(lockedUntil);
        }

        if (created.Outcome != ChallengeStoreOutcome.Created)
        {
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        await RaiseAsync(TwoFactorAuditEventKind.ChallengeStarted, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
        if (!await SendAsync(_sender, new EmailCodeMessage(tenant, principalId, code, codeExpiresAt, 1), tokenHash, now, cancellationToken).ConfigureAwait(false))
        {
            return ChallengeStartResult.Of(ChallengeStartOutcome.DeliveryFailed);
        }

        return ChallengeStartResult.Started(token, FactorTypes.Email, codeExpiresAt, expiresAt, resendAt);
    }

    public async ValueTask<ChallengeVerifyResult> VerifyAsync(TenantId tenant, string? token, string? code, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var now = _time.GetUtcNow();
        if (!ChallengeToken.IsWellFormed(token))
        {
            await RaiseAsync(TwoFactorAuditEventKind.InvalidInput, tenant, null, now, cancellationToken).ConfigureAwait(false);
            return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.InvalidInput);
        }

        var tokenHash = _hasher.HashToken(token!);

        // A malformed code is evaluated as a wrong one (it spends an attempt and counts towards the principal's
        // lockout) against a random digest that cannot match, so hostile input buys an attacker nothing extra.
        var digest = ChallengeCode.IsWellFormed(code, _options.CodeLength)
            ? _hasher.DigestCode(tokenHash, code!)
            : RandomNumberGenerator.GetBytes(ChallengeHasher.HashLength);

        ChallengeStoreResult stored;
        try
        {
            stored = await _store.VerifyAsync(tenant, tokenHash, digest, now, _limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "verify", tenant, null, cancellationToken).ConfigureAwait(false);
            return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed);
        }

        var principal = stored.PrincipalId;
        switch (stored.Outcome)
        {
            case ChallengeStoreOutcome.Passed:
                await RaiseAsync(TwoFactorAuditEventKind.Passed, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Passed(principal);

            case ChallengeStoreOutcome.WrongCode:
                var attemptsLeft = Math.Max(0, _limits.MaxAttempts - stored.Attempts);
                await RaiseAsync(TwoFactorAuditEventKind.WrongCode, tenant, principal, now, cancellationToken, attemptsLeft: attemptsLeft).ConfigureAwait(false);
                if (attemptsLeft == 0)
                {
                    await RaiseAsync(TwoFactorAuditEventKind.ChallengeLocked, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                }

                if (stored.LockedUntil is { } lockedUntil)
                {
                    await RaiseAsync(TwoFactorAuditEventKind.PrincipalLocked, tenant, principal, now, cancellationToken, lockedUntil: lockedUntil).ConfigureAwait(false);
                    return ChallengeVerifyResult.PrincipalLocked(lockedUntil);
                }

                return ChallengeVerifyResult.WrongCode(attemptsLeft);

            case ChallengeStoreOutcome.PrincipalLocked when stored.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principal, now, cancellationToken, lockedUntil: until).ConfigureAwait(false);
                return ChallengeVerifyResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.Expired:
                await RaiseAsync(TwoFactorAuditEventKind.Expired, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Expired);

            case ChallengeStoreOutcome.Locked:
                await RaiseAsync(TwoFactorAuditEventKind.LockedChallengeAttempt, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Locked);

            case ChallengeStoreOutcome.Consumed:
                await RaiseAsync(TwoFactorAuditEventKind.Replayed, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.AlreadyUsed);

            case ChallengeStoreOutcome.NotFound:
                await RaiseAsync(TwoFactorAuditEventKind.UnknownToken, tenant, null, now, cancellationToken).ConfigureAwait(false);
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.UnknownToken);

            default:
                // An answer a verify cannot give: a faulty store. Fail closed.
                return ChallengeVerifyResult.Of(ChallengeVerifyOutcome.Failed);
        }
    }

    public async ValueTask<ChallengeResendResult> ResendAsync(TenantId tenant, string? token, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var now = _time.GetUtcNow();
        if (!ChallengeToken.IsWellFormed(token))
        {
            await RaiseAsync(TwoFactorAuditEventKind.InvalidInput, tenant, null, now, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.InvalidInput);
        }

        if (_sender is null)
        {
            // Only reachable when the sender registration vanished after challenges were started.
            return ChallengeResendResult.Of(ChallengeResendOutcome.DeliveryFailed);
        }

        var tokenHash = _hasher.HashToken(token!);
        var code = ChallengeCode.Generate(_options.CodeLength);
        var digest = _hasher.DigestCode(tokenHash, code);

        ChallengeStoreResult stored;
        try
        {
            stored = await _store.ReplaceCodeAsync(tenant, tokenHash, digest, now, now + _options.CodeLifetime, now + _options.ResendCooldown, _limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsFailure(exception, cancellationToken))
        {
            await StoreFailedAsync(exception, "resend", tenant, null, cancellationToken).ConfigureAwait(false);
            return ChallengeResendResult.Of(ChallengeResendOutcome.Failed);
        }

        var principal = stored.PrincipalId;
        switch (stored.Outcome)
        {
            case ChallengeStoreOutcome.CodeReplaced:
                await RaiseAsync(TwoFactorAuditEventKind.CodeResent, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                if (!await SendAsync(_sender, new EmailCodeMessage(tenant, principal, code, stored.CodeExpiresAt, stored.Sends), tokenHash, now, cancellationToken).ConfigureAwait(false))
                {
                    return ChallengeResendResult.Of(ChallengeResendOutcome.DeliveryFailed);
                }

                return ChallengeResendResult.Sent(stored.CodeExpiresAt, stored.ResendAvailableAt, Math.Max(0, _limits.MaxSends - stored.Sends));

            case ChallengeStoreOutcome.TooSoon:
                await RaiseAsync(TwoFactorAuditEventKind.ResendRefused, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.TooSoon(stored.ResendAvailableAt - now);

            case ChallengeStoreOutcome.SendLimitReached:
                await RaiseAsync(TwoFactorAuditEventKind.ResendRefused, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.LimitReached);

            case ChallengeStoreOutcome.PrincipalLocked when stored.LockedUntil is { } until:
                await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, tenant, principal, now, cancellationToken, lockedUntil: until).ConfigureAwait(false);
                return ChallengeResendResult.PrincipalLocked(until);

            case ChallengeStoreOutcome.Expired:
                await RaiseAsync(TwoFactorAuditEventKind.Expired, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.Expired);

            case ChallengeStoreOutcome.Locked:
                await RaiseAsync(TwoFactorAuditEventKind.LockedChallengeAttempt, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.Locked);

            case ChallengeStoreOutcome.Consumed:
                await RaiseAsync(TwoFactorAuditEventKind.Replayed, tenant, principal, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.AlreadyUsed);

            case ChallengeStoreOutcome.NotFound:
                await RaiseAsync(TwoFactorAuditEventKind.UnknownToken, tenant, null, now, cancellationToken).ConfigureAwait(false);
                return ChallengeResendResult.Of(ChallengeResendOutcome.UnknownToken);

            default:
                return ChallengeResendResult.Of(ChallengeResendOutcome.Failed);
        }
    }

    public async ValueTask<bool> UnlockPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var cleared = await _store.ResetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        if (cleared)
        {
            await RaiseAsync(TwoFactorAuditEventKind.PrincipalUnlocked, tenant, principalId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return cleared;
    }

    /// <summary>Hands a code to the sender; on failure withdraws the challenge so no one can use it.</summary>
    private async ValueTask<bool> SendAsync(IEmailCodeSender sender, EmailCodeMessage message, byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The sender is host code: any failure means the code was not delivered.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            TwoFactorLog.SenderFailed(_logger, sender.GetType().FullName ?? sender.GetType().Name, exception.GetType().FullName ?? exception.GetType().Name, message.Tenant.Value, message.PrincipalId);
            try
            {
                await _store.RevokeAsync(message.Tenant, tokenHash, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Best effort: the caller is answered DeliveryFailed either way.
            catch (Exception revokeFailure)
#pragma warning restore CA1031
            {
                TwoFactorLog.RevokeFailed(_logger, revokeFailure, message.Tenant.Value);
            }

            await RaiseAsync(TwoFactorAuditEventKind.CodeDeliveryFailed, message.Tenant, message.PrincipalId, now, CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }

        await RaiseAsync(TwoFactorAuditEventKind.CodeSent, message.Tenant, message.PrincipalId, now, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async ValueTask StoreFailedAsync(Exception exception, string operation, TenantId tenant, long? principalId, CancellationToken cancellationToken)
    {
        TwoFactorLog.StoreFailed(_logger, exception, operation, tenant.Value);
        await RaiseAsync(TwoFactorAuditEventKind.StoreFailed, tenant, principalId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask RaiseAsync(
        TwoFactorAuditEventKind kind,
        TenantId tenant,
        long? principalId,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        int? attemptsLeft = null,
        DateTimeOffset? lockedUntil = null) =>
        _audit.RaiseAsync(
            new TwoFactorAuditEvent
            {
                Kind = kind,
                Tenant = tenant,
                Timestamp = now,
                PrincipalId = principalId,
                Factor = FactorTypes.Email,
                AttemptsLeft = attemptsLeft,
                LockedUntil = lockedUntil,
            },
            cancellationToken);

    /// <summary>Any exception is a failure to answer with <c>Failed</c>, except the caller's own cancellation.</summary>
    private static bool IsFailure(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

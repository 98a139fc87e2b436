using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Stores.Tracing;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Runs the second step with email codes, authenticator apps and recovery codes. It computes every hash and digest itself
/// and hands the challenge store one atomic call per decision, with the time from its <see cref="TimeProvider"/>; the
/// store never sees a code or a token, and every decision the store takes is <see cref="SecondStepRules"/>. Starting
/// (this file) picks the factor and creates the challenge under the per-principal limits (policy.md C9); verifying and
/// resending are in the other parts. Failures of the resolver or a store answer <c>Failed</c>, never passed; failures of
/// the host's sender withdraw the challenge. Cancellation requested by the caller propagates as
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed partial class TwoFactorChallengeService : ITwoFactorChallenges
{
    private readonly ITwoFactorResolver _resolver;
    private readonly IChallengeStore _store;

    /// <summary>The challenge store's lockout read (under its decorators), or <see langword="null"/> when it has none.</summary>
    private readonly IPrincipalLockoutReader? _lockouts;
    private readonly ITotpEnrollmentStore _enrollments;
    private readonly AuthenticatorCodeCheck _totp;
    private readonly IEmailCodeSender? _sender;
    private readonly ChallengeHasher _hasher;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly ChallengeOptions _options;
    private readonly ChallengeLimits _limits;
    private readonly RememberedDeviceCheck _devices;
    private readonly IEnrollmentPeriodStore _periods;
    private readonly ILogger _logger;

    public TwoFactorChallengeService(
        ITwoFactorResolver resolver,
        IChallengeStore store,
        ITotpEnrollmentStore enrollments,
        AuthenticatorCodeCheck totp,
        IEnumerable<IEmailCodeSender> senders,
        ChallengeHasher hasher,
        TwoFactorAudit audit,
        TimeProvider time,
        IOptions<TwoFactorOptions> options,
        RememberedDeviceCheck devices,
        IEnrollmentPeriodStore periods,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(enrollments);
        ArgumentNullException.ThrowIfNull(totp);
        ArgumentNullException.ThrowIfNull(senders);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _store = store;
        _lockouts = StoreDecorators.Unwrap(store) as IPrincipalLockoutReader;
        _enrollments = enrollments;
        _totp = totp;
        _sender = senders.LastOrDefault();
        _hasher = hasher;
        _audit = audit;
        _time = time;
        _options = options.Value.Challenges;
        _limits = ChallengeLimits.From(_options);
        _devices = devices;
        _periods = periods;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    public ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return StartCoreAsync(tenant, principalId, FactorTypes.None, null, cancellationToken);
    }

    public ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, string? deviceToken, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return StartCoreAsync(tenant, principalId, FactorTypes.None, deviceToken, cancellationToken);
    }

    public ValueTask<ChallengeStartResult> StartWithFactorAsync(TenantId tenant, long principalId, FactorTypes factor, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (factor is not (FactorTypes.Email or FactorTypes.Totp))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Ask for exactly one factor: FactorTypes.Email or FactorTypes.Totp.");
        }

        return StartCoreAsync(tenant, principalId, factor, null, cancellationToken);
    }

    private async ValueTask<ChallengeStartResult> StartCoreAsync(TenantId tenant, long principalId, FactorTypes requested, string? deviceToken, CancellationToken cancellationToken)
    {
        Requirement requirement;
        var enrolled = false;
        PrincipalLockState? lockout = null;
        try
        {
            if (_resolver is IStoreBackedResolver { Policies: IPrincipalStartStore start })
            {
                // The store reads the snapshot and the enrolment in one round trip; the pure resolver decides as the resolver would.
                var read = await start.FindPrincipalForStartAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                requirement = TwoFactorResolver.Resolve(read.Policy with { At = _time.GetUtcNow() });
                enrolled = requirement.IsRequired && (requirement.Factors & FactorTypes.Totp) != 0 && read.Enrollment?.IsEnrolled == true;
                lockout = read.Lockout;
            }
            else if ((requirement = await _resolver.ResolveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false)).IsRequired
                && (requirement.Factors & FactorTypes.Totp) != 0)
            {
                var enrollment = await _enrollments.GetAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                enrolled = enrollment?.IsEnrolled == true;
            }
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "start", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        switch (requirement.Outcome)
        {
            case RequirementOutcome.NotRequired:
                return ChallengeStartResult.NotRequired(requirement.Reason);
            case RequirementOutcome.Required when deviceToken is not null:
                if (await RememberedDeviceAsync(tenant, principalId, requirement, deviceToken, lockout, cancellationToken).ConfigureAwait(false) is { } answer)
                {
                    return answer;
                }

                break;
            case RequirementOutcome.Required:
                break;
            default:
                return ChallengeStartResult.Of(ChallengeStartOutcome.UnknownPrincipal);
        }

        // The strongest usable factor first: an enrolled authenticator app, then email (NIST SP 800-63B).
        var allowed = requirement.Factors;
        var usable = (enrolled ? FactorTypes.Totp : FactorTypes.None)
            | ((allowed & FactorTypes.Email) != 0 && _sender is not null ? FactorTypes.Email : FactorTypes.None);
        var chosen = requested != FactorTypes.None ? usable & requested
            : (usable & FactorTypes.Totp) != 0 ? FactorTypes.Totp
            : usable & FactorTypes.Email;

        if (chosen == FactorTypes.None)
        {
            if (usable == FactorTypes.None && (allowed & FactorTypes.Totp) != 0 && (requested & ~FactorTypes.Totp) == 0)
            {
                // Only an authenticator could pass this principal and it has none: it must enrol (G1). Never a bypass.
                return await MustEnrolAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            }

            TwoFactorLog.FactorUnavailable(_logger, tenant.Value, principalId, requested == FactorTypes.None ? allowed : requested, WhyUnavailable(allowed, requested, usable));
            return ChallengeStartResult.FactorUnavailable(usable);
        }

        var alternatives = usable & ~chosen;
        return chosen == FactorTypes.Totp
            ? await StartAuthenticatorAsync(tenant, principalId, alternatives, cancellationToken).ConfigureAwait(false)
            : await StartEmailAsync(tenant, principalId, _sender!, alternatives, cancellationToken).ConfigureAwait(false);
    }

    private string WhyUnavailable(FactorTypes allowed, FactorTypes requested, FactorTypes usable)
    {
        if (requested != FactorTypes.None && (allowed & requested) == 0)
        {
            return "the principal's setting does not allow the factor asked for";
        }

        if (requested == FactorTypes.Totp)
        {
            return "the principal has no authenticator enrolled";
        }

        return _sender is null
            ? "no IEmailCodeSender is registered (TwoFactorBuilder.AddEmailCodeSender<T>())"
            : usable == FactorTypes.None ? "no allowed factor is usable" : "the factor asked for is not usable";
    }

    /// <summary>An authenticator challenge: nothing is sent and its stored digest is random, so no code can match it.</summary>
    private async ValueTask<ChallengeStartResult> StartAuthenticatorAsync(TenantId tenant, long principalId, FactorTypes alternatives, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var token = _hasher.CreateToken(FactorTypes.Totp);
        var tokenHash = _hasher.HashToken(token);
        var expiresAt = now + _options.ChallengeLifetime;
        var challenge = new NewChallenge(tenant, principalId, FactorTypes.Totp, tokenHash, RandomNumberGenerator.GetBytes(ChallengeHasher.HashLength), now, expiresAt, expiresAt, expiresAt);
        if (await CreateAsync(challenge, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        return ChallengeStartResult.Started(token, FactorTypes.Totp, expiresAt, expiresAt, expiresAt, alternatives);
    }

    private async ValueTask<ChallengeStartResult> StartEmailAsync(TenantId tenant, long principalId, IEmailCodeSender sender, FactorTypes alternatives, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var token = _hasher.CreateToken(FactorTypes.Email);
        var tokenHash = _hasher.HashToken(token);
        var code = ChallengeCode.Generate(_options.CodeLength);
        var expiresAt = now + _options.ChallengeLifetime;
        var codeExpiresAt = Min(now + _options.CodeLifetime, expiresAt);
        var resendAt = now + _options.ResendCooldown;
        var challenge = new NewChallenge(tenant, principalId, FactorTypes.Email, tokenHash, _hasher.DigestCode(token, tokenHash, code), now, codeExpiresAt, expiresAt, resendAt);
        if (await CreateAsync(challenge, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (!await SendAsync(sender, new EmailCodeMessage(tenant, principalId, code, codeExpiresAt, 1), tokenHash, now, cancellationToken).ConfigureAwait(false))
        {
            return ChallengeStartResult.Of(ChallengeStartOutcome.DeliveryFailed);
        }

        return ChallengeStartResult.Started(token, FactorTypes.Email, codeExpiresAt, expiresAt, resendAt, alternatives);
    }

    /// <summary>Stores a new challenge; answers the refusal to return, or <see langword="null"/> when it was created.</summary>
    private async ValueTask<ChallengeStartResult?> CreateAsync(NewChallenge challenge, CancellationToken cancellationToken)
    {
        ChallengeStoreResult created;
        try
        {
            created = await _store.CreateAsync(challenge, _limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "start", challenge.Tenant, challenge.PrincipalId, cancellationToken).ConfigureAwait(false);
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        if (created.Outcome == ChallengeStoreOutcome.PrincipalLocked && created.LockedUntil is { } lockedUntil)
        {
            await RaiseAsync(TwoFactorAuditEventKind.LockedPrincipalAttempt, challenge.Tenant, challenge.PrincipalId, challenge.Factor, challenge.CreatedAt, cancellationToken, lockedUntil: lockedUntil).ConfigureAwait(false);
            return ChallengeStartResult.PrincipalLocked(lockedUntil);
        }

        if (created.Outcome == ChallengeStoreOutcome.TooSoon)
        {
            // A code went to this principal less than the resend interval ago: send nothing (policy.md C9).
            await RaiseAsync(TwoFactorAuditEventKind.StartRefused, challenge.Tenant, challenge.PrincipalId, challenge.Factor, challenge.CreatedAt, cancellationToken).ConfigureAwait(false);
            return ChallengeStartResult.TooSoon(created.ResendAvailableAt, challenge.CreatedAt);
        }

        if (created.Outcome != ChallengeStoreOutcome.Created)
        {
            return ChallengeStartResult.Of(ChallengeStartOutcome.Failed);
        }

        await RaiseAsync(TwoFactorAuditEventKind.ChallengeStarted, challenge.Tenant, challenge.PrincipalId, challenge.Factor, challenge.CreatedAt, cancellationToken).ConfigureAwait(false);
        return null;
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

            await RaiseAsync(TwoFactorAuditEventKind.CodeDeliveryFailed, message.Tenant, message.PrincipalId, FactorTypes.Email, now, CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }

        await RaiseAsync(TwoFactorAuditEventKind.CodeSent, message.Tenant, message.PrincipalId, FactorTypes.Email, now, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private ValueTask RaiseAsync(
        TwoFactorAuditEventKind kind,
        TenantId tenant,
        long? principalId,
        FactorTypes factor,
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
                Factor = factor,
                AttemptsLeft = attemptsLeft,
                LockedUntil = lockedUntil,
            },
            cancellationToken);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

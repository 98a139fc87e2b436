using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Redeems step-up proof: one store call that spends a passed challenge's step-up once (policy.md T4), with its audit
/// event. The one place step-up is checked; the enrolment service and hosts both come here.
/// </summary>
internal sealed class StepUpService : ITwoFactorStepUp
{
    private readonly IChallengeStore _challenges;
    private readonly ChallengeHasher _hasher;
    private readonly TwoFactorAudit _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public StepUpService(IChallengeStore challenges, ChallengeHasher hasher, TwoFactorAudit audit, TimeProvider time, IOptions<TwoFactorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _challenges = challenges;
        _hasher = hasher;
        _audit = audit;
        _time = time;
        _lifetime = options.Value.Totp.StepUpLifetime;
    }

    public async ValueTask<StepUpOutcome> RedeemAsync(TenantId tenant, long principalId, string? token, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            return await RedeemAsync(tenant, principalId, token, FactorTypes.None, cancellationToken).ConfigureAwait(false)
                ? StepUpOutcome.Redeemed
                : StepUpOutcome.Refused;
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await _audit.StoreFailedAsync(exception, "step-up", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return StepUpOutcome.Failed;
        }
    }

    /// <summary>
    /// Redeems the token of a challenge this principal passed within the step-up lifetime, once, raising
    /// <see cref="TwoFactorAuditEventKind.StepUpAccepted"/> or <see cref="TwoFactorAuditEventKind.StepUpRefused"/> about
    /// <paramref name="factor"/> (the feature asking). Store failures propagate to the caller, which answers its own failure.
    /// </summary>
    public async ValueTask<bool> RedeemAsync(TenantId tenant, long principalId, string? token, FactorTypes factor, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var redeemed = ChallengeToken.IsWellFormed(token)
            && await _challenges.RedeemStepUpAsync(tenant, _hasher.HashToken(token!), principalId, now - _lifetime, now, cancellationToken).ConfigureAwait(false);
        await RaiseAsync(redeemed ? TwoFactorAuditEventKind.StepUpAccepted : TwoFactorAuditEventKind.StepUpRefused, tenant, principalId, factor, now, cancellationToken).ConfigureAwait(false);
        return redeemed;
    }

    private ValueTask RaiseAsync(TwoFactorAuditEventKind kind, TenantId tenant, long principalId, FactorTypes factor, DateTimeOffset now, CancellationToken cancellationToken) =>
        _audit.RaiseAsync(new TwoFactorAuditEvent { Kind = kind, Tenant = tenant, Timestamp = now, PrincipalId = principalId, Factor = factor }, cancellationToken);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// Step-up proof (policy.md T4): the token of a challenge the principal passed recently, redeemed once before a sensitive
/// change. A host protecting its own sensitive actions redeems the token here; the authenticator enrolment calls use the
/// same redemption.
/// </summary>
public interface ITwoFactorStepUp
{
    /// <summary>
    /// Redeems <paramref name="token"/> as step-up proof for <paramref name="principalId"/>: accepted once, and only when its
    /// challenge was passed by this principal within <c>Totp.StepUpLifetime</c>. A malformed token is refused before any
    /// store is asked.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal the proof must be for.</param>
    /// <param name="token">The challenge token the principal passed; any value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="StepUpOutcome.Redeemed"/> once; <see cref="StepUpOutcome.Refused"/> for anything else;
    /// <see cref="StepUpOutcome.Failed"/> when the store failed (never treat it as proof).</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<StepUpOutcome> RedeemAsync(TenantId tenant, long principalId, string? token, CancellationToken cancellationToken = default);
}

/// <summary>What redeeming step-up proof answered. The default value means failure.</summary>
public enum StepUpOutcome
{
    /// <summary>A store failed; no proof was redeemed.</summary>
    Failed = 0,

    /// <summary>The proof was valid and is now spent.</summary>
    Redeemed = 1,

    /// <summary>Malformed, unknown, not passed, too old, for another principal, or already redeemed.</summary>
    Refused = 2,
}

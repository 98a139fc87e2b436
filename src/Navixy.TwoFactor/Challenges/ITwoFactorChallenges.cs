using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// The login second step (policy.md §4): after the host has checked the password it starts a challenge,
/// the principal receives a code, and the host verifies what the principal typed. Every expected outcome is a
/// result value; nothing throws on hostile input; no method takes a time (the engine's <see cref="TimeProvider"/>
/// decides); a store or sender failure never answers passed.
/// </summary>
public interface ITwoFactorChallenges
{
    /// <summary>
    /// Resolves the principal; when a second step is required, creates a challenge, sends its code through the
    /// host's <see cref="IEmailCodeSender"/> and answers the token. When it is not required, stores nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The account or sub-user whose password was just checked.</param>
    /// <param name="cancellationToken">Cancels the operation; a cancelled start leaves no usable challenge.</param>
    /// <returns>Started (with the token, returned only here), not required, or why not.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a code against the challenge atomically: the attempt is reserved before the comparison, a right
    /// code passes exactly once, and the per-principal failure count is updated in the same step.
    /// </summary>
    /// <param name="tenant">The tenant the challenge was started in; a token of another tenant is unknown.</param>
    /// <param name="token">The token from <see cref="StartAsync"/>; any string.</param>
    /// <param name="code">What the principal typed; any string. Only exactly <see cref="ChallengeOptions.CodeLength"/>
    /// ASCII digits can pass; anything else counts as a wrong code.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Passed with the principal, or why not.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<ChallengeVerifyResult> VerifyAsync(TenantId tenant, string? token, string? code, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a new code when the cooldown has passed and the challenge may still send; the previous code stops
    /// working and attempt counters are kept.
    /// </summary>
    /// <param name="tenant">The tenant the challenge was started in.</param>
    /// <param name="token">The token from <see cref="StartAsync"/>; any string.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Sent, or why not (too soon with the wait, limit reached, expired, ...).</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<ChallengeResendResult> ResendAsync(TenantId tenant, string? token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Clears a principal's consecutive-failure count and lockout: the administrator's way out of the lock that
    /// <see cref="ChallengeOptions.PrincipalMaxConsecutiveFailures"/> sets until reset. Raises an audit event.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the principal had failures or a lockout to clear.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<bool> UnlockPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);
}

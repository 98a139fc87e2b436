using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Challenges;

/// <summary>
/// The login second step (policy.md §4): after the host has checked the password it starts a challenge, the
/// principal gets a code (by email) or reads one from its authenticator app, and the host verifies what the principal
/// typed. Every expected outcome is a result value; nothing throws on hostile input; no method takes a time (the
/// engine's <see cref="TimeProvider"/> decides); a store or sender failure never answers passed.
/// </summary>
public interface ITwoFactorChallenges
{
    /// <summary>
    /// Resolves the principal; when a second step is required, starts a challenge with the strongest factor the
    /// principal can use among those its setting allows: an enrolled authenticator app (nothing is sent), else email (a
    /// code goes to the host's <see cref="IEmailCodeSender"/>). The answer names the other usable factors
    /// (<see cref="ChallengeStartResult.AlternativeFactors"/>). A principal that may pass only with an authenticator it has
    /// not enrolled gets <see cref="ChallengeStartOutcome.EnrollNow"/> inside its tenant's enrolment period (policy.md G1),
    /// otherwise <see cref="ChallengeStartOutcome.EnrollmentRequired"/>. When no second step is required, stores nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The account or sub-user whose password was just checked.</param>
    /// <param name="cancellationToken">Cancels the operation; a cancelled start leaves no usable challenge.</param>
    /// <returns>Started (with the token, returned only here), not required, or why not.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the required device token, so no call is ambiguous.")]
    ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="StartAsync(TenantId, long, CancellationToken)"/>, presenting the device token the client kept from
    /// <c>ITwoFactorRememberedDevices.RememberAsync</c> (policy.md D2). When a second step is required and the token is a
    /// valid remembered device of this tenant and principal, answers <see cref="ChallengeStartOutcome.NotRequired"/> with
    /// <see cref="Resolution.NotRequiredReason.RememberedDevice"/> and creates no challenge. Any other token (null, malformed,
    /// another principal's or tenant's, void or expired) is ignored and audited, and the start goes on as without it. The
    /// lockout wins (policy.md C4): a principal locked now is answered <see cref="ChallengeStartOutcome.PrincipalLocked"/>
    /// with its end whatever the token, and the token is not looked at (its last use is not recorded).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal whose password the host has just checked.</param>
    /// <param name="deviceToken">The device token the client presents; null for none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the required device token, so no call is ambiguous.")]
    ValueTask<ChallengeStartResult> StartAsync(TenantId tenant, long principalId, string? deviceToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="StartAsync(TenantId, long, CancellationToken)"/>, but with the factor the principal chose ("use
    /// email instead"). A factor the setting does not allow, or that cannot run, answers
    /// <see cref="ChallengeStartOutcome.FactorUnavailable"/> with the factors that can; it never falls back silently.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The account or sub-user whose password was just checked.</param>
    /// <param name="factor">Exactly one factor: <see cref="FactorTypes.Email"/> or <see cref="FactorTypes.Totp"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Started (with the token, returned only here), not required, or why not.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not exactly one known factor.</exception>
    ValueTask<ChallengeStartResult> StartWithFactorAsync(TenantId tenant, long principalId, FactorTypes factor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a code against the challenge: the attempt is reserved before the comparison, a right code passes exactly
    /// once, and the per-principal failure count is updated in the same atomic store step. For an authenticator challenge
    /// the code must be that of a time step in the window and later than the last accepted one (replays are wrong codes,
    /// also under concurrent verifies). Any challenge also accepts one of the principal's unused recovery codes, once.
    /// </summary>
    /// <param name="tenant">The tenant the challenge was started in; a token of another tenant is unknown.</param>
    /// <param name="token">The token from <see cref="StartAsync(TenantId, long, CancellationToken)"/> or <see cref="StartWithFactorAsync"/>; any string.</param>
    /// <param name="code">What the principal typed; any string. Only exactly <see cref="ChallengeOptions.CodeLength"/>
    /// ASCII digits (email) or <see cref="TotpParameters.Digits"/> ASCII digits (authenticator), or a recovery code
    /// (any case, dashes and spaces ignored), can pass; anything else counts as a wrong code.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Passed with the principal, or why not.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<ChallengeVerifyResult> VerifyAsync(TenantId tenant, string? token, string? code, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a new code when the cooldown has passed and the challenge may still send; the previous code stops
    /// working and attempt counters are kept.
    /// </summary>
    /// <param name="tenant">The tenant the challenge was started in.</param>
    /// <param name="token">The token from <see cref="StartAsync(TenantId, long, CancellationToken)"/> or <see cref="StartWithFactorAsync"/>; any string.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Sent, or why not (too soon with the wait, limit reached, expired, nothing to send for an authenticator, ...).</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<ChallengeResendResult> ResendAsync(TenantId tenant, string? token, CancellationToken cancellationToken = default);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// Self-service authenticator enrolment (policy.md T1): begin shows a fresh secret once, a right code confirms it, and only
/// then does it verify logins. Replacing or turning off an active authenticator and regenerating recovery codes need a
/// fresh second step: the token of a challenge the same principal passed within <see cref="TotpOptions.StepUpLifetime"/>,
/// accepted once. Every expected outcome is a result value; nothing takes a time from the caller; no method returns a
/// secret except <see cref="BeginAsync"/>, once. A store failure never throws: it is logged once and answered
/// <see cref="TotpEnrollmentOutcome.Failed"/> (<see langword="null"/> by <see cref="GetStatusAsync"/>).
/// </summary>
/// <remarks>
/// Call these only for a logged-in principal (password checked and, where required, the second step passed), or right after
/// <c>ITwoFactorChallenges.StartAsync</c> answered <c>EnrollNow</c> for it (inside its tenant's enrolment period, policy.md
/// G1: begin and confirm, and nothing else, until its <c>EnrollUntil</c>), or <c>EnrollmentRequired</c> where the host has
/// its own proof to let such a principal enrol. Enrolling a first authenticator needs no step-up when the principal has no
/// other way to pass (T4), so whoever may call <see cref="BeginAsync"/> for a principal without one may give it one: that is
/// why the password alone admits it only while the period runs. Confirming ends the period's purpose: the principal's next
/// start runs the new authenticator. Any registered principal may enrol; the authenticator counts at login only where the
/// principal's setting allows it.
/// </remarks>
public interface ITotpEnrollment
{
    /// <summary>
    /// Creates a fresh 20-byte secret, stores it encrypted as pending (replacing any earlier pending one) and answers it as
    /// Base32 and as an <c>otpauth://totp/</c> URI, with the time by which it must be confirmed. An active authenticator keeps
    /// working until the new one is confirmed; replacing one requires <paramref name="stepUpToken"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The account or sub-user.</param>
    /// <param name="issuer">The service name the app shows (e.g. the dealer's brand); not empty.</param>
    /// <param name="accountName">The account label the app shows (e.g. the login); not empty.</param>
    /// <param name="stepUpToken">When an authenticator is active: the token of a challenge this principal passed recently.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Begun with the secret, or failed, unknown principal, step-up required.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>, or the issuer or account name is empty.</exception>
    ValueTask<TotpEnrollmentBeginResult> BeginAsync(TenantId tenant, long principalId, string issuer, string accountName, string? stepUpToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Confirms the pending secret with a code from the app (current step ± the configured window). On success the secret
    /// becomes active (the old one stops verifying), the code's step counts as used, and a fresh set of recovery codes
    /// replaces any earlier one. A wrong code counts toward the principal's lockout.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="code">What the principal typed; any string.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Confirmed with recovery codes, or wrong code, expired, no pending enrolment, principal locked, invalid input, failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<TotpEnrollmentResult> ConfirmAsync(TenantId tenant, long principalId, string? code, CancellationToken cancellationToken = default);

    /// <summary>Reads whether the principal has an active or pending authenticator and how many recovery codes are left.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The status, never a secret; <see langword="null"/> when a store failed (logged; never an exception).</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<TotpEnrollmentStatus?> GetStatusAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the principal's recovery codes with a fresh set; the old ones stop working. Requires step-up proof.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="stepUpToken">The token of a challenge this principal passed recently.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Regenerated with the codes, or not enrolled, step-up required, failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<TotpEnrollmentResult> RegenerateRecoveryCodesAsync(TenantId tenant, long principalId, string? stepUpToken, CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns the principal's authenticator off: removes its secret (active and pending) and recovery codes. Requires step-up
    /// proof. A principal whose setting allows only the authenticator gets <c>EnrollmentRequired</c> at its next login.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="stepUpToken">The token of a challenge this principal passed recently.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Disabled, or not enrolled, step-up required, failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<TotpEnrollmentResult> DisableAsync(TenantId tenant, long principalId, string? stepUpToken, CancellationToken cancellationToken = default);
}

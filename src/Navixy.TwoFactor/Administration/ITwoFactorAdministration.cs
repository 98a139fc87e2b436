using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// What a tenant's administrator may do for a principal: reset a lost authenticator, unlock a locked principal. The host checks that the
/// caller administers <c>tenant</c>; every operation touches that tenant only and raises an audit event.
/// </summary>
public interface ITwoFactorAdministration
{
    /// <summary>
    /// Removes the principal's authenticator (active and pending) and all its recovery codes in this tenant only, forgets
    /// its remembered devices, and starts its enrolment period afresh (policy.md G1): the principal then logs in with another
    /// allowed factor or, if only the authenticator is allowed, must enrol again, and its next start begins a new period
    /// when the tenant has one (<c>ITwoFactorEnrollmentPeriods</c>). So a principal whose period ended without enrolling is
    /// given a new one by this call. One audit-trail entry whatever it removed.
    /// </summary>
    /// <param name="tenant">The tenant; the same principal id in another tenant is untouched.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="TotpEnrollmentOutcome.Reset"/>, <see cref="TotpEnrollmentOutcome.NotEnrolled"/> when there was no authenticator, recovery code or enrolment period to reset, or failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<TotpEnrollmentResult> ResetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Clears the principal's consecutive failures and lockout in this tenant only, so it may start and verify again at once.
    /// </summary>
    /// <param name="tenant">The tenant; the same principal id in another tenant is untouched.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Unlocked, nothing to unlock, or failed (a store failed; retry).</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<PrincipalUnlockOutcome> UnlockAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);
}

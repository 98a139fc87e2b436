using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// What a tenant's administrator may do for a principal that lost its authenticator: reset it. The host checks that the
/// caller administers <c>tenant</c>; every operation touches that tenant only and raises an audit event.
/// </summary>
public interface ITwoFactorAdministration
{
    /// <summary>
    /// Removes the principal's authenticator (active and pending) and all its recovery codes in this tenant only. The
    /// principal then logs in with another allowed factor or, if only the authenticator is allowed, must enrol again.
    /// </summary>
    /// <param name="tenant">The tenant; the same principal id in another tenant is untouched.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="TotpEnrollmentOutcome.Reset"/>, <see cref="TotpEnrollmentOutcome.NotEnrolled"/> when there was nothing to remove, or failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    ValueTask<TotpEnrollmentResult> ResetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);
}

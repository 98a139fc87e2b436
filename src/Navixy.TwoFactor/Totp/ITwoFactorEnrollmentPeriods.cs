using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// A tenant's enrolment period for authenticator apps (policy.md G1): how long a principal that must pass with an
/// authenticator it has not enrolled is let in to enrol one, from its first login start in that state. Inside the period,
/// <c>ITwoFactorChallenges.StartAsync</c> answers <c>EnrollNow</c> with the end T; after it, <c>EnrollmentRequired</c>
/// (no one is let in; an administrator's <c>ITwoFactorAdministration.ResetAsync</c> starts the principal's period afresh).
/// The host checks that the caller administers the tenant and names the actor through <see cref="ITwoFactorActorAccessor"/>.
/// </summary>
public interface ITwoFactorEnrollmentPeriods
{
    /// <summary>The tenant's enrolment period; <see cref="TimeSpan.Zero"/> (none, the default) when it set none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    /// <returns>The period; <see langword="null"/> when a store failed (logged; never an exception).</returns>
    ValueTask<TimeSpan?> GetPeriodAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the tenant's enrolment period: zero (none: a principal without the authenticator it needs is refused, as
    /// before) up to <c>EnrollmentPeriodRule.MaxPeriod</c> (90 days); answers false, changing nothing and appending nothing,
    /// for a value out of that range. It applies at once to every principal of the tenant: T is a principal's recorded start
    /// plus the period now, so lengthening it reopens periods that had ended and shortening it may end running ones;
    /// principals that start after it is set begin their period then. Appends one audit-trail entry, atomically (A1, A2).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The new period.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    /// <returns>True when set; false for a value out of range; <see langword="null"/> when a store failed (logged; never an
    /// exception): then nothing was changed or appended.</returns>
    ValueTask<bool?> SetPeriodAsync(TenantId tenant, TimeSpan period, CancellationToken cancellationToken = default);
}

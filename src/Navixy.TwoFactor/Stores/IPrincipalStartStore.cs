using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Optional for an <see cref="IPrincipalPolicyStore"/> over a database that also holds the enrolments: reads a
/// principal's snapshot and its authenticator enrolment in one round trip, so a challenge start with an authenticator
/// allowed is two round trips (this, then <see cref="IChallengeStore.CreateAsync"/>). Without it the engine resolves,
/// then reads through <see cref="ITotpEnrollmentStore.GetAsync"/>, and answers the same.
/// </summary>
public interface IPrincipalStartStore
{
    /// <summary>
    /// Reads what <see cref="IPrincipalPolicyStore.FindPrincipalAsync"/> and <see cref="ITotpEnrollmentStore.GetAsync"/> answer for
    /// the principal, as one atomic read.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal id; any value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot and the enrolment (<see langword="null"/> when the principal has none).</returns>
    ValueTask<PrincipalStart> FindPrincipalForStartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IPrincipalStartStore.FindPrincipalForStartAsync"/> answers.</summary>
/// <param name="Policy">The principal's snapshot.</param>
/// <param name="Enrollment">The principal's authenticator enrolment; <see langword="null"/> when it has none.</param>
public sealed record PrincipalStart(PrincipalPolicy Policy, TotpEnrollmentRecord? Enrollment)
{
    /// <summary>
    /// The principal's failure count and lockout as the challenge store keeps them (<see cref="IPrincipalLockoutReader"/>),
    /// read in the same round trip by a store over the same database; <c>default</c> when nothing is recorded;
    /// <see langword="null"/> when this store does not read them (the engine then asks the challenge store, and only when a
    /// start presents a remembered-device token).
    /// </summary>
    public PrincipalLockState? Lockout { get; init; }
}

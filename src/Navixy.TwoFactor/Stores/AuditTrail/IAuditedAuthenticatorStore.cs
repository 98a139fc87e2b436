using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// Optional for a store that is both the <see cref="ITotpEnrollmentStore"/> and the <see cref="IRecoveryCodeStore"/> and can
/// append an authenticator change's audit-trail entry in the same atomic step (policy.md A2), as a database does in one
/// transaction. Without it the engine appends the entry right after the change.
/// </summary>
public interface IAuditedAuthenticatorStore
{
    /// <summary>
    /// As <see cref="ITotpEnrollmentStore.ActivatePendingAsync"/>, appending an <see cref="AuditOperation.EnrollmentAdded"/>
    /// entry when (and only when) it activates.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedPendingSecret">The protected pending secret the code was checked against.</param>
    /// <param name="acceptedStep">The time step the confirmation code matched.</param>
    /// <param name="now">Now.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the principal's enrolment (active and pending) and all its recovery codes, appending an entry of
    /// <paramref name="operation"/> when anything was removed, in one atomic step.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="operation"><see cref="AuditOperation.AdminReset"/> or <see cref="AuditOperation.EnrollmentRemoved"/>.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether an enrolment was removed, and how many recovery codes.</returns>
    ValueTask<(bool Enrollment, int RecoveryCodes)> DeleteAuthenticatorAsync(TenantId tenant, long principalId, AuditOperation operation, AuditContext audit, CancellationToken cancellationToken);
}

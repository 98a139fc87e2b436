using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// A principal's authenticator-app enrolment as stored: the active secret and the last accepted time step
/// (for replay refusal), and a pending secret awaiting confirmation. Secrets are protected blobs
/// (<see cref="Totp.ISecretProtector"/>), never plain.
/// </summary>
/// <param name="ActiveSecret">The protected active secret, or <see langword="null"/> when not enrolled.</param>
/// <param name="LastAcceptedStep">The last time step a code was accepted for; codes for it or earlier steps are refused.</param>
/// <param name="PendingSecret">The protected secret awaiting confirmation, or <see langword="null"/>.</param>
/// <param name="PendingExpiresAt">When the pending secret stops being confirmable.</param>
public sealed record TotpEnrollmentRecord(byte[]? ActiveSecret, long LastAcceptedStep, byte[]? PendingSecret, DateTimeOffset PendingExpiresAt)
{
    /// <summary>Whether an active secret exists.</summary>
    public bool IsEnrolled => ActiveSecret is not null;
}

/// <summary>Keeps authenticator-app enrolments. Every key includes the tenant; every call is atomic.</summary>
public interface ITotpEnrollmentStore
{
    /// <summary>Reads a principal's enrolment; <see langword="null"/> when there is none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) the pending secret; an active secret stays active until the pending one is confirmed.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="protectedSecret">The protected new secret.</param>
    /// <param name="expiresAt">When it stops being confirmable.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the pending secret active, replacing any previous one, with <paramref name="acceptedStep"/> as
    /// the last accepted step — only if the pending secret is still <paramref name="expectedPendingSecret"/>
    /// and has not expired at <paramref name="now"/>. Of concurrent confirmations, one succeeds.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedPendingSecret">The protected pending secret the confirming code was checked against.</param>
    /// <param name="acceptedStep">The step of the confirming code.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the pending secret became active.</returns>
    ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="matchedStep"/> as the last accepted step if it is later than the stored one and the
    /// active secret is still <paramref name="expectedActiveSecret"/> (conditional: <c>WHERE last_step &lt; @step</c>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedActiveSecret">The protected secret the code was checked against.</param>
    /// <param name="matchedStep">The matched step.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the step was accepted (false: a replay, or the secret changed meanwhile).</returns>
    ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken);

    /// <summary>Removes the enrolment (active and pending).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was one.</returns>
    ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);
}

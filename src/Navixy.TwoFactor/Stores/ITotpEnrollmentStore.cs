using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// A principal's authenticator-app enrolment as stored: the active secret and the last accepted time step
/// (for replay refusal), and a pending secret awaiting confirmation. Secrets are protected blobs
/// (<see cref="Cryptography.ISecretProtector"/>), never plain.
/// </summary>
/// <param name="ActiveSecret">The protected active secret, or <see langword="null"/> when not enrolled.</param>
/// <param name="LastAcceptedStep">The last time step a code was accepted for; codes for it or earlier steps are refused. Meaningless
/// while <paramref name="ActiveSecret"/> is <see langword="null"/> (the in-memory store keeps <see cref="long.MinValue"/>).</param>
/// <param name="PendingSecret">The protected secret awaiting confirmation, or <see langword="null"/>.</param>
/// <param name="PendingExpiresAt">When the pending secret stops being confirmable.</param>
public sealed record TotpEnrollmentRecord(byte[]? ActiveSecret, long LastAcceptedStep, byte[]? PendingSecret, DateTimeOffset PendingExpiresAt)
{
    /// <summary>Whether an active secret exists.</summary>
    public bool IsEnrolled => ActiveSecret is not null;
}

/// <summary>
/// Keeps authenticator-app enrolments: at most one row per (tenant, principal) holding the active secret with its last
/// accepted step, and a pending secret with its expiry.
/// </summary>
/// <remarks>
/// <para>Every key includes the tenant: the same principal id in another tenant is another row. Every method is one atomic
/// operation (one statement for a database) and must stay correct when several engine instances call it at once; the
/// conditional updates (<see cref="ActivatePendingAsync"/>, <see cref="TryAdvanceStepAsync"/>) are what refuse replays and
/// double confirmations across processes.</para>
/// <para>The store never sees a plain secret and never reads a clock: blobs are opaque bytes compared by value, and
/// <c>now</c> comes from the engine.</para>
/// </remarks>
public interface ITotpEnrollmentStore
{
    /// <summary>Reads a principal's enrolment; <see langword="null"/> when there is none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores (or replaces) the pending secret and its expiry, creating the row if needed (an upsert). The active secret and
    /// the last accepted step are left as they are: an active secret stays active until the pending one is confirmed.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="protectedSecret">The protected new secret.</param>
    /// <param name="expiresAt">When it stops being confirmable.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the pending secret active, replacing any previous one, with <paramref name="acceptedStep"/> as the last accepted
    /// step, and clears the pending secret — only if the pending secret is still byte for byte
    /// <paramref name="expectedPendingSecret"/> and <c>now &lt; PendingExpiresAt</c> (one conditional update). Of concurrent
    /// confirmations, exactly one succeeds.
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
    /// Records <paramref name="matchedStep"/> as the last accepted step if it is later than the stored one and the active
    /// secret is still byte for byte <paramref name="expectedActiveSecret"/> (one conditional update:
    /// <c>WHERE last_step &lt; @step AND active = @expected</c>). Of concurrent calls with the same step, exactly one succeeds;
    /// any later call with that step or an earlier one fails (policy.md T2).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedActiveSecret">The protected secret the code was checked against.</param>
    /// <param name="matchedStep">The matched step.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether the step was accepted (false: a replay, or the secret changed meanwhile).</returns>
    ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken);

    /// <summary>Removes the row: the active secret, the last accepted step and the pending secret.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was one.</returns>
    ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Keeps second-step challenges and each principal's consecutive-failure count and lockout. Both live behind one
/// interface because verify must update both in the same atomic step.
/// </summary>
/// <remarks>
/// <para>Every method is one atomic operation (one statement or round trip for a database) and must stay correct
/// when many threads or several engine instances call it for the same challenge at once (policy.md C5).</para>
/// <para>The store never sees a code or a token: only the token's keyed hash (the key, with the tenant) and the
/// code's keyed digest, both <see cref="HashLength"/> bytes. Compare digests in constant time. Every key includes
/// the tenant: a token hash used with another tenant is not found.</para>
/// <para>The store never reads a clock: the engine passes <c>now</c> from its <see cref="TimeProvider"/>. A challenge
/// is valid for verification while <c>now &lt; CodeExpiresAt</c>, whether or not a cleanup has run.</para>
/// </remarks>
public interface IChallengeStore
{
    /// <summary>The length of token hashes and code digests, in bytes.</summary>
    const int HashLength = 32;

    /// <summary>
    /// Creates a challenge with one send and no attempts, deciding as <see cref="SecondStepRules.Create"/> at
    /// <see cref="NewChallenge.CreatedAt"/>: a locked principal → <see cref="ChallengeStoreOutcome.PrincipalLocked"/> with the
    /// time; a challenge that sends a message within <see cref="ChallengeLimits.SendCooldown"/> of the principal's last sent
    /// code → <see cref="ChallengeStoreOutcome.TooSoon"/> with when it becomes possible (nothing stored); otherwise it is
    /// created (an email one records the send), and the principal's oldest open challenges beyond
    /// <see cref="ChallengeLimits.MaxOpenChallenges"/> are revoked (<see cref="SecondStepRules.OpenChallengesToRevoke"/>), in
    /// the same atomic step (policy.md C9).
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="ChallengeStoreOutcome.Created"/>, <see cref="ChallengeStoreOutcome.PrincipalLocked"/> or <see cref="ChallengeStoreOutcome.TooSoon"/>.</returns>
    ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Verifies one attempt, atomically, as <see cref="SecondStepRules.Verify"/>, in this order: not found → <see cref="ChallengeStoreOutcome.NotFound"/>;
    /// consumed → <see cref="ChallengeStoreOutcome.Consumed"/>; attempts ≥ <see cref="ChallengeLimits.MaxAttempts"/> →
    /// <see cref="ChallengeStoreOutcome.Locked"/> (<see cref="ChallengeStoreOutcome.Busy"/> while reserved attempts are still being
    /// evaluated); <c>now ≥ CodeExpiresAt</c> → <see cref="ChallengeStoreOutcome.Expired"/>;
    /// principal locked at <c>now</c> → <see cref="ChallengeStoreOutcome.PrincipalLocked"/>. Otherwise it reserves the
    /// attempt (attempts + 1) and compares the digests in constant time. A match consumes the challenge (<c>PassedAt = now</c>,
    /// see <see cref="RedeemStepUpAsync"/>) and resets
    /// the principal's failures and lockout (<see cref="ChallengeStoreOutcome.Passed"/>); a mismatch adds one failure
    /// and sets the lockout <see cref="ChallengeLimits.LockUntil"/> answers (<see cref="ChallengeStoreOutcome.WrongCode"/>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="codeDigest">The presented code's keyed digest.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<ChallengeStoreResult> VerifyAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a challenge without changing anything and says whether it would accept an attempt at <paramref name="now"/>,
    /// with the same checks in the same order as <see cref="VerifyAsync"/>: not found → <see cref="ChallengeStoreOutcome.NotFound"/>;
    /// consumed → <see cref="ChallengeStoreOutcome.Consumed"/>; attempts ≥ <see cref="ChallengeLimits.MaxAttempts"/> →
    /// <see cref="ChallengeStoreOutcome.Locked"/>; <c>now ≥ CodeExpiresAt</c> → <see cref="ChallengeStoreOutcome.Expired"/>;
    /// principal locked at <c>now</c> → <see cref="ChallengeStoreOutcome.PrincipalLocked"/> (with the time); otherwise
    /// <see cref="ChallengeStoreOutcome.Open"/>. Every answer but not found carries the principal and
    /// <see cref="ChallengeStoreResult.Factor"/>. The engine uses it to learn whose challenge it is and which factor it runs
    /// before it checks an authenticator code or a recovery code, so that a refused challenge spends none of them.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<ChallengeStoreResult> FindAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves one attempt whose code the engine evaluates itself (an authenticator code, a recovery code, an enrolment
    /// confirmation), atomically, as <see cref="SecondStepRules.Reserve"/>: not found; consumed; attempts used up (busy
    /// while reserved ones are still being evaluated); code expired; principal locked; otherwise attempts + 1 and one more
    /// pending evaluation → <see cref="ChallengeStoreOutcome.Reserved"/> with the principal and <see cref="ChallengeStoreResult.Factor"/>.
    /// Every reservation is followed by exactly one <see cref="SettleAsync"/>. Of concurrent calls, at most the attempts left
    /// are reserved, so no more codes are evaluated than the limit allows (policy.md C5).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<ChallengeStoreResult> ReserveAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Settles an attempt reserved by <see cref="ReserveAsync"/>, atomically, as <see cref="SecondStepRules.Settle"/>: the
    /// reservation is released; a consumed challenge answers <see cref="ChallengeStoreOutcome.Consumed"/> and spends nothing;
    /// a release counts nothing (<see cref="ChallengeStoreOutcome.Released"/>); a wrong code counts a failure of the principal
    /// (<see cref="ChallengeStoreOutcome.WrongCode"/> with the lockout it set); a pass spends its proof — the time step, only
    /// if later than the principal's last accepted step and while <see cref="ChallengeSettlement.ActiveSecret"/> is still
    /// active; the recovery code, only if unused — and consumes the challenge (<c>PassedAt = now</c>) and resets the
    /// principal's failures, all in one step (<see cref="ChallengeStoreOutcome.Passed"/>); when the proof cannot be spent (a
    /// copy spent it elsewhere) nothing changes but the release, and the answer is <see cref="ChallengeStoreOutcome.Consumed"/>.
    /// A step or code is therefore never spent without a pass, and a copy of a right code never counts as a failure.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="settlement">The engine's verdict.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<ChallengeStoreResult> SettleAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Redeems a passed challenge, once, as proof of a fresh second step (step-up for a sensitive change). Atomically: it
    /// answers <see langword="true"/> and marks the challenge redeemed only if the challenge exists in the tenant, belongs to
    /// <paramref name="principalId"/>, was passed (by <see cref="VerifyAsync"/> or <see cref="SettleAsync"/>) at a time later
    /// than <paramref name="passedAfter"/>, <c>now &lt; ExpiresAt</c>, and was not redeemed before. Of concurrent calls, at most
    /// one answers <see langword="true"/>. A store must therefore keep a passed challenge's pass time until the challenge ends.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="principalId">The principal who must have passed it.</param>
    /// <param name="passedAfter">The pass must be strictly later than this (the engine passes <c>now − StepUpLifetime</c>).</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether this call redeemed the pass.</returns>
    ValueTask<bool> RedeemStepUpAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one failure of a principal outside any challenge (a wrong code confirming an authenticator enrolment),
    /// atomically: principal locked at <paramref name="now"/> → <see cref="ChallengeStoreOutcome.PrincipalLocked"/> with the
    /// time, nothing counted; otherwise consecutive failures + 1 and the lockout <see cref="ChallengeLimits.LockUntil"/>
    /// answers (<see cref="ChallengeStoreOutcome.WrongCode"/> with zero attempts and that lockout, if any). The count is the
    /// same one <see cref="VerifyAsync"/> keeps.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<ChallengeStoreResult> RecordFailureAsync(TenantId tenant, long principalId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the code of a challenge for a resend, atomically, in this order: not found; factor other than
    /// <see cref="FactorTypes.Email"/> → <see cref="ChallengeStoreOutcome.NoCodeToSend"/>; consumed; locked (attempts
    /// used up); <c>now ≥ ExpiresAt</c> → <see cref="ChallengeStoreOutcome.Expired"/>; principal locked; sends ≥
    /// <see cref="ChallengeLimits.MaxSends"/> → <see cref="ChallengeStoreOutcome.SendLimitReached"/>; <c>now &lt;
    /// ResendAvailableAt</c> → <see cref="ChallengeStoreOutcome.TooSoon"/>. Otherwise it stores the new digest, sends + 1,
    /// <c>CodeExpiresAt = min(codeExpiresAt, ExpiresAt)</c> and <c>ResendAvailableAt = nextResendAt</c>, keeping the
    /// attempt count (<see cref="ChallengeStoreOutcome.CodeReplaced"/>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="codeDigest">The new code's keyed digest.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="codeExpiresAt">When the new code should expire (capped at the challenge's end).</param>
    /// <param name="nextResendAt">When the next resend becomes possible.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<ChallengeStoreResult> ReplaceCodeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte> codeDigest, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, ChallengeLimits limits, CancellationToken cancellationToken);

    /// <summary>Deletes a challenge (its code could not be delivered); any later operation on it answers not found.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it existed.</returns>
    ValueTask<bool> RevokeAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Removes everything the store holds for a principal: its challenges (open, passed or ended), its failure count,
    /// lockout and last send (policy.md C10). A principal registered later under the same id starts clean.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether there was anything to remove.</returns>
    ValueTask<bool> RemovePrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>Clears a principal's consecutive failures and lockout.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether there was anything to clear.</returns>
    ValueTask<bool> ResetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> challenges whose <see cref="NewChallenge.ExpiresAt"/> is at or before
    /// <paramref name="now"/>, in any tenant. Expired challenges are refused whether or not this has run; it only
    /// bounds storage. The in-memory store also cleans up as it goes; a database host schedules this.
    /// </summary>
    /// <param name="now">The engine's time.</param>
    /// <param name="batchSize">The most challenges to delete in this call; positive.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many were deleted; fewer than <paramref name="batchSize"/> means none is left.</returns>
    ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}

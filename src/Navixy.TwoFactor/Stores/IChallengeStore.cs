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
    /// Creates a challenge with one send and no attempts, unless the principal is locked at
    /// <see cref="NewChallenge.CreatedAt"/>.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see cref="ChallengeStoreOutcome.Created"/>, or <see cref="ChallengeStoreOutcome.PrincipalLocked"/> with the time.</returns>
    ValueTask<ChallengeStoreResult> CreateAsync(NewChallenge challenge, CancellationToken cancellationToken);

    /// <summary>
    /// Verifies one attempt, atomically, in this order: not found → <see cref="ChallengeStoreOutcome.NotFound"/>;
    /// consumed → <see cref="ChallengeStoreOutcome.Consumed"/>; attempts ≥ <see cref="ChallengeLimits.MaxAttempts"/> →
    /// <see cref="ChallengeStoreOutcome.Locked"/>; <c>now ≥ CodeExpiresAt</c> → <see cref="ChallengeStoreOutcome.Expired"/>;
    /// principal locked at <c>now</c> → <see cref="ChallengeStoreOutcome.PrincipalLocked"/>. Otherwise it reserves the
    /// attempt (attempts + 1) and compares the digests in constant time. A match consumes the challenge and resets
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
    /// Replaces the code of a challenge for a resend, atomically, in this order: not found; consumed; locked (attempts
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

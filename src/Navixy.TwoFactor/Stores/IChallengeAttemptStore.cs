using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Optional for an <see cref="IChallengeStore"/> over a database: reserves an authenticator or recovery-code attempt
/// and, in the same round trip, reads what the engine needs to evaluate the code. With it such a verify is two round
/// trips (this, then <see cref="IChallengeStore.SettleAsync"/>); without it the engine reserves, then reads through
/// <see cref="ITotpEnrollmentStore"/> or <see cref="IRecoveryCodeStore"/>, and answers the same.
/// </summary>
public interface IChallengeAttemptStore
{
    /// <summary>
    /// Does what <see cref="IChallengeStore.ReserveAsync"/> does and, when the attempt is reserved, reads after the
    /// reservation (as one atomic unit with it) the reserved challenge's principal's authenticator enrolment, or, when
    /// <paramref name="recoveryLookupId"/> is given, that principal's recovery codes with that lookup id.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The challenge's token hash.</param>
    /// <param name="recoveryLookupId">The lookup id of a presented recovery code; <see langword="null"/> for an authenticator code.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The engine's limits.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reservation's answer, with what was read when it is <see cref="ChallengeStoreOutcome.Reserved"/>.</returns>
    ValueTask<ReservedAttempt> ReserveAndReadAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, string? recoveryLookupId, DateTimeOffset now, ChallengeLimits limits, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IChallengeAttemptStore.ReserveAndReadAsync"/> answers.</summary>
/// <param name="Reservation">The answer <see cref="IChallengeStore.ReserveAsync"/> would give.</param>
/// <param name="Enrollment">
/// For a reserved authenticator attempt, what <see cref="ITotpEnrollmentStore.GetAsync"/> answers for the principal;
/// otherwise <see langword="null"/>.
/// </param>
/// <param name="UnusedRecoveryCodes">For a reserved recovery-code attempt, what <see cref="IRecoveryCodeStore.FindUnusedAsync"/> answers; otherwise empty.</param>
/// <param name="UsedRecoveryCodes">For a reserved recovery-code attempt, what <see cref="IRecoveryCodeStore.FindUsedAsync"/> answers; otherwise empty.</param>
public sealed record ReservedAttempt(
    ChallengeStoreResult Reservation,
    TotpEnrollmentRecord? Enrollment,
    IReadOnlyList<RecoveryCodeHash> UnusedRecoveryCodes,
    IReadOnlyList<RecoveryCodeHash> UsedRecoveryCodes);

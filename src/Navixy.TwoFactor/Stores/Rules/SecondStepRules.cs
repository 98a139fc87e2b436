using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// The second-step rules, in one place: from a challenge's state, its principal's state and the time, each function
/// decides the answer of one store operation and the states that follow. Pure and allocation-free: no clock, no I/O.
/// The in-memory store applies them under its per-principal lock; the PostgreSQL statements implement the same
/// decisions (the shared specification suite proves the two agree); a thin record store gets them through
/// <see cref="RuleBasedChallengeStore"/>. Every path that checks a code (login verify of every factor, enrolment
/// confirmation, step-up) goes through <see cref="Verify"/> or <see cref="Reserve"/> then <see cref="Settle"/>.
/// </summary>
/// <remarks>
/// <para>The refusal order of an attempt (<see cref="RefuseAttempt"/>): consumed → attempts used up (busy while some are
/// still being evaluated) → code expired → principal locked. A locked principal is therefore refused before anything is
/// evaluated, and every lockout answer carries its end.</para>
/// <para>Exactly once (policy.md C5): an attempt is reserved before its code is evaluated; a right code consumes the
/// challenge and spends its proof together; a copy of a right code finds the challenge consumed, or the proof spent, and
/// answers <see cref="ChallengeStoreOutcome.Consumed"/> without counting a failure.</para>
/// </remarks>
public static class SecondStepRules
{
    /// <summary>
    /// How long a reserved attempt holds its place while its code is evaluated. Evaluation takes milliseconds; the
    /// lease only matters when a node dies between reserving and settling, so that the attempt does not stay held.
    /// </summary>
    public static readonly TimeSpan PendingLease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Why a challenge would refuse an attempt at <paramref name="now"/>, or <see langword="null"/> when it takes one:
    /// consumed → <see cref="ChallengeStoreOutcome.Consumed"/>; attempts used up → <see cref="ChallengeStoreOutcome.Busy"/>
    /// while reserved attempts are still being evaluated (their outcome decides), else <see cref="ChallengeStoreOutcome.Locked"/>;
    /// <c>now ≥ </c><paramref name="endsAt"/> → <see cref="ChallengeStoreOutcome.Expired"/>; principal locked →
    /// <see cref="ChallengeStoreOutcome.PrincipalLocked"/> with its end.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principal">Its principal.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <param name="endsAt">The code's expiry for an attempt; the challenge's end for a resend.</param>
    public static ChallengeStoreResult? RefuseAttempt(in ChallengeState challenge, in PrincipalLockState principal, DateTimeOffset now, in ChallengeLimits limits, DateTimeOffset endsAt)
    {
        var id = challenge.PrincipalId;
        if (challenge.IsConsumed)
        {
            return ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, id);
        }

        if (challenge.Attempts >= limits.MaxAttempts)
        {
            return challenge.LivePending(now) > 0 ? ChallengeStoreResult.Busy(id) : ChallengeStoreResult.Refused(ChallengeStoreOutcome.Locked, id);
        }

        if (now >= endsAt)
        {
            return ChallengeStoreResult.Refused(ChallengeStoreOutcome.Expired, id);
        }

        return principal.IsLockedAt(now) ? ChallengeStoreResult.PrincipalLocked(id, principal.LockedUntil!.Value) : null;
    }

    /// <summary>
    /// A new challenge (<see cref="IChallengeStore.CreateAsync"/>): principal locked → refused with its end; a challenge that
    /// sends a message (email) within <see cref="ChallengeLimits.SendCooldown"/> of the principal's last sent code →
    /// <see cref="ChallengeStoreOutcome.TooSoon"/> with when it becomes possible; otherwise created, and an email start
    /// records the send. The store then revokes the principal's oldest open challenges beyond
    /// <see cref="ChallengeLimits.MaxOpenChallenges"/> (<see cref="OpenChallengesToRevoke"/>).
    /// </summary>
    /// <param name="challenge">The new challenge.</param>
    /// <param name="principal">Its principal's state.</param>
    /// <param name="limits">The limits in force.</param>
    public static ChallengeTransition Create(in NewChallenge challenge, in PrincipalLockState principal, in ChallengeLimits limits)
    {
        var created = ChallengeState.Created(challenge);
        var now = challenge.CreatedAt;
        if (principal.IsLockedAt(now))
        {
            return new(ChallengeStoreResult.PrincipalLocked(challenge.PrincipalId, principal.LockedUntil!.Value), created, principal);
        }

        if (!SendsMessage(challenge.Factor))
        {
            return new(ChallengeStoreResult.Created, created, principal);
        }

        if (principal.LastSentAt is { } last && now < last + limits.SendCooldown)
        {
            return new(ChallengeStoreResult.TooSoon(challenge.PrincipalId, last + limits.SendCooldown), created, principal);
        }

        return new(ChallengeStoreResult.Created, created, principal with { LastSentAt = now });
    }

    /// <summary>
    /// How many of a principal's open challenges (not consumed, not ended) a new one must revoke, oldest first, so that
    /// at most <see cref="ChallengeLimits.MaxOpenChallenges"/> are open once it is added.
    /// </summary>
    /// <param name="openBefore">Open challenges before the new one.</param>
    /// <param name="limits">The limits in force.</param>
    public static int OpenChallengesToRevoke(int openBefore, in ChallengeLimits limits) =>
        limits.MaxOpenChallenges <= 0 ? 0 : Math.Max(0, openBefore + 1 - limits.MaxOpenChallenges);

    /// <summary>Whether a challenge of this factor sends a message at start and resend (only email does).</summary>
    /// <param name="factor">The factor.</param>
    public static bool SendsMessage(FactorTypes factor) => factor == FactorTypes.Email;

    /// <summary>
    /// One attempt evaluated in the same atomic step (an email code: the store compares digests): refused as
    /// <see cref="RefuseAttempt"/>; otherwise the attempt is reserved and a match passes, a mismatch counts a failure.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principal">Its principal.</param>
    /// <param name="matches">Whether the presented digest equals the stored one (compared in constant time).</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    public static ChallengeTransition Verify(in ChallengeState challenge, in PrincipalLockState principal, bool matches, DateTimeOffset now, in ChallengeLimits limits)
    {
        if (RefuseAttempt(challenge, principal, now, limits, challenge.CodeExpiresAt) is { } refused)
        {
            return new(refused, challenge, principal);
        }

        var reserved = challenge with { Attempts = challenge.Attempts + 1 };
        return matches ? PassNow(reserved, principal, now) : FailNow(reserved, principal, now, limits);
    }

    /// <summary>
    /// Reserves an attempt whose code the engine evaluates next (an authenticator or recovery code, an enrolment
    /// confirmation): refused as <see cref="RefuseAttempt"/>; otherwise attempts + 1 and one more pending evaluation,
    /// answered <see cref="ChallengeStoreOutcome.Reserved"/> with the principal and factor.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principal">Its principal.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    public static ChallengeTransition Reserve(in ChallengeState challenge, in PrincipalLockState principal, DateTimeOffset now, in ChallengeLimits limits)
    {
        if (RefuseAttempt(challenge, principal, now, limits, challenge.CodeExpiresAt) is { } refused)
        {
            return new(refused with { Factor = challenge.Factor }, challenge, principal);
        }

        var reserved = challenge with
        {
            Attempts = challenge.Attempts + 1,
            Pending = challenge.LivePending(now) + 1,
            PendingUntil = now + PendingLease,
        };
        return new(ChallengeStoreResult.Reserved(challenge.PrincipalId, challenge.Factor, reserved.Attempts), reserved, principal);
    }

    /// <summary>
    /// Settles a reserved attempt. The reservation is released first. A consumed challenge answers
    /// <see cref="ChallengeStoreOutcome.Consumed"/> and spends nothing (a copy of a right code: no failure). Then
    /// <see cref="ChallengeSettlementKind.Release"/> counts nothing and gives the attempt back; <see cref="ChallengeSettlementKind.WrongCode"/> counts a
    /// failure of the principal; a pass consumes the challenge when <paramref name="proofSpent"/> (the store spent the time
    /// step or recovery code in the same atomic step), and otherwise answers <see cref="ChallengeStoreOutcome.Consumed"/>
    /// (the proof was spent by a copy elsewhere) without counting a failure, giving the attempt back. The attempt was admitted when it was
    /// reserved, so neither the code's expiry nor a lockout set meanwhile undoes it.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principal">Its principal.</param>
    /// <param name="kind">The engine's verdict.</param>
    /// <param name="proofSpent">For a pass: whether the store could spend the proof (always true for a plain pass).</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    public static ChallengeTransition Settle(in ChallengeState challenge, in PrincipalLockState principal, ChallengeSettlementKind kind, bool proofSpent, DateTimeOffset now, in ChallengeLimits limits)
    {
        var released = challenge with { Pending = Math.Max(0, challenge.LivePending(now) - 1) };
        if (released.IsConsumed)
        {
            return new(ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, challenge.PrincipalId), released, principal);
        }

        // A reservation that evaluated no guess (nothing readable, or a copy of a code already used) gives its attempt
        // back: only wrong codes use up a challenge, so copies of a right code can never lock it (C5).
        var returned = released with { Attempts = Math.Max(0, released.Attempts - 1) };
        return kind switch
        {
            ChallengeSettlementKind.Release => new(ChallengeStoreResult.Released(challenge.PrincipalId), returned, principal),
            ChallengeSettlementKind.WrongCode => FailNow(released, principal, now, limits),
            _ when proofSpent => PassNow(released, principal, now),
            _ => new(ChallengeStoreResult.Refused(ChallengeStoreOutcome.Consumed, challenge.PrincipalId), returned, principal),
        };
    }

    /// <summary>
    /// Whether a settlement may try to spend its proof: only a pass, and only while the challenge is not consumed. A store
    /// asks this before it spends, so that a copy never spends anything.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="kind">The engine's verdict.</param>
    public static bool MaySpendProof(in ChallengeState challenge, ChallengeSettlementKind kind) =>
        !challenge.IsConsumed && kind is ChallengeSettlementKind.PassWithTimeStep or ChallengeSettlementKind.PassWithRecoveryCode;

    /// <summary>
    /// A resend (<see cref="IChallengeStore.ReplaceCodeAsync"/>): factor that sends nothing → <see cref="ChallengeStoreOutcome.NoCodeToSend"/>;
    /// refused as an attempt would be, with the challenge's end instead of the code's; sends used up →
    /// <see cref="ChallengeStoreOutcome.SendLimitReached"/>; before <see cref="ChallengeState.ResendAvailableAt"/> →
    /// <see cref="ChallengeStoreOutcome.TooSoon"/>; otherwise the code is replaced (sends + 1, the new code expiry capped at
    /// the challenge's end, the next resend time) and the principal's last send recorded. The attempt count is kept.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principal">Its principal.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="codeExpiresAt">When the new code should expire.</param>
    /// <param name="nextResendAt">When the next resend becomes possible.</param>
    /// <param name="limits">The limits in force.</param>
    public static ChallengeTransition Resend(in ChallengeState challenge, in PrincipalLockState principal, DateTimeOffset now, DateTimeOffset codeExpiresAt, DateTimeOffset nextResendAt, in ChallengeLimits limits)
    {
        var id = challenge.PrincipalId;
        if (!SendsMessage(challenge.Factor))
        {
            return new(ChallengeStoreResult.NoCodeToSend(id, challenge.Factor), challenge, principal);
        }

        if (RefuseAttempt(challenge, principal, now, limits, challenge.ExpiresAt) is { } refused)
        {
            return new(refused, challenge, principal);
        }

        if (challenge.Sends >= limits.MaxSends)
        {
            return new(ChallengeStoreResult.Refused(ChallengeStoreOutcome.SendLimitReached, id), challenge, principal);
        }

        if (now < challenge.ResendAvailableAt)
        {
            return new(ChallengeStoreResult.TooSoon(id, challenge.ResendAvailableAt), challenge, principal);
        }

        var replaced = challenge with
        {
            Sends = challenge.Sends + 1,
            CodeExpiresAt = codeExpiresAt < challenge.ExpiresAt ? codeExpiresAt : challenge.ExpiresAt,
            ResendAvailableAt = nextResendAt,
        };
        return new(
            ChallengeStoreResult.CodeReplaced(id, replaced.Sends, replaced.CodeExpiresAt, replaced.ResendAvailableAt),
            replaced,
            principal with { LastSentAt = now });
    }

    /// <summary>
    /// Reads a challenge without changing anything (<see cref="IChallengeStore.FindAsync"/>): refused as an attempt
    /// would be (busy counts as open: an attempt could follow), otherwise <see cref="ChallengeStoreOutcome.Open"/>.
    /// Every answer carries the factor.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principal">Its principal.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    public static ChallengeStoreResult Find(in ChallengeState challenge, in PrincipalLockState principal, DateTimeOffset now, in ChallengeLimits limits) =>
        RefuseAttempt(challenge, principal, now, limits, challenge.CodeExpiresAt) is { Outcome: not ChallengeStoreOutcome.Busy } refused
            ? refused with { Factor = challenge.Factor }
            : ChallengeStoreResult.Open(challenge.PrincipalId, challenge.Factor);

    /// <summary>
    /// Redeems a passed challenge as step-up proof, once: only for its own principal, passed strictly after
    /// <paramref name="passedAfter"/>, before the challenge ends, and not redeemed before.
    /// </summary>
    /// <param name="challenge">The challenge.</param>
    /// <param name="principalId">Who asks.</param>
    /// <param name="passedAfter">The oldest pass accepted (exclusive).</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="redeemed">The challenge's state after redemption.</param>
    /// <returns>Whether it was redeemed now.</returns>
    public static bool RedeemStepUp(in ChallengeState challenge, long principalId, DateTimeOffset passedAfter, DateTimeOffset now, out ChallengeState redeemed)
    {
        var ok = challenge.PrincipalId == principalId && !challenge.StepUpRedeemed && challenge.PassedAt is { } passedAt
            && passedAt > passedAfter && now < challenge.ExpiresAt;
        redeemed = ok ? challenge with { StepUpRedeemed = true } : challenge;
        return ok;
    }

    /// <summary>
    /// One failure outside any challenge (<see cref="IChallengeStore.RecordFailureAsync"/>): a locked principal is refused
    /// with its end and nothing is counted; otherwise one more failure and the lockout it earns.
    /// </summary>
    /// <param name="principalId">The principal.</param>
    /// <param name="principal">Its state.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="limits">The limits in force.</param>
    /// <returns>The answer and the principal's new state (the challenge part is unused).</returns>
    public static ChallengeTransition RecordFailure(long principalId, in PrincipalLockState principal, DateTimeOffset now, in ChallengeLimits limits)
    {
        if (principal.IsLockedAt(now))
        {
            return new(ChallengeStoreResult.PrincipalLocked(principalId, principal.LockedUntil!.Value), default, principal);
        }

        var (next, lockedUntil) = CountFailure(principal, now, limits);
        return new(ChallengeStoreResult.WrongCode(principalId, 0, lockedUntil), default, next);
    }

    /// <summary>The principal's state once an administrator unlocks it: no failures, no lockout (the last send is kept).</summary>
    /// <param name="principal">Its state.</param>
    public static PrincipalLockState Unlock(in PrincipalLockState principal) => principal with { Failures = 0, LockedUntil = null };

    private static ChallengeTransition PassNow(in ChallengeState reserved, in PrincipalLockState principal, DateTimeOffset now)
    {
        var passed = reserved with { PassedAt = now };
        return new(ChallengeStoreResult.Passed(reserved.PrincipalId, reserved.Attempts), passed, Unlock(principal));
    }

    private static ChallengeTransition FailNow(in ChallengeState reserved, in PrincipalLockState principal, DateTimeOffset now, in ChallengeLimits limits)
    {
        var (next, lockedUntil) = CountFailure(principal, now, limits);
        return new(ChallengeStoreResult.WrongCode(reserved.PrincipalId, reserved.Attempts, lockedUntil), reserved, next);
    }

    private static (PrincipalLockState State, DateTimeOffset? LockedUntil) CountFailure(in PrincipalLockState principal, DateTimeOffset now, in ChallengeLimits limits)
    {
        var failures = principal.Failures + 1;
        var lockedUntil = limits.LockUntil(failures, now);
        return (principal with { Failures = failures, LockedUntil = lockedUntil ?? principal.LockedUntil }, lockedUntil);
    }
}

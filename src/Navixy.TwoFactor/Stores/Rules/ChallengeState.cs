using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// What a store holds for one challenge, as <see cref="SecondStepRules"/> reads and changes it. A store keeps these
/// fields (plus the key, the code digest and whatever it needs for bookkeeping) and hands them to the rules.
/// </summary>
/// <param name="PrincipalId">The principal it belongs to.</param>
/// <param name="Factor">The factor it runs.</param>
/// <param name="CodeExpiresAt">When its current code stops being accepted.</param>
/// <param name="ExpiresAt">When the challenge ends.</param>
/// <param name="ResendAvailableAt">When a resend becomes possible.</param>
/// <param name="Attempts">Attempts reserved so far (evaluated or being evaluated).</param>
/// <param name="Sends">Codes sent, the first included.</param>
/// <param name="Pending">Reserved attempts whose evaluation has not been settled yet.</param>
/// <param name="PendingUntil">When the pending reservations stop holding their attempts (a node that died mid-evaluation).</param>
/// <param name="PassedAt">When it was passed (then it is consumed); <see langword="null"/> while open.</param>
/// <param name="StepUpRedeemed">Whether its pass was redeemed as step-up proof.</param>
public readonly record struct ChallengeState(
    long PrincipalId,
    FactorTypes Factor,
    DateTimeOffset CodeExpiresAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset ResendAvailableAt,
    int Attempts,
    int Sends,
    int Pending,
    DateTimeOffset PendingUntil,
    DateTimeOffset? PassedAt,
    bool StepUpRedeemed)
{
    /// <summary>Whether it was passed (a consumed challenge accepts nothing more).</summary>
    public bool IsConsumed => PassedAt.HasValue;

    /// <summary>The state of a challenge just created from <paramref name="challenge"/>: one send, no attempts.</summary>
    /// <param name="challenge">The challenge as the engine hands it over.</param>
    public static ChallengeState Created(in NewChallenge challenge) => new(
        challenge.PrincipalId,
        challenge.Factor,
        challenge.CodeExpiresAt,
        challenge.ExpiresAt,
        challenge.ResendAvailableAt,
        Attempts: 0,
        Sends: 1,
        Pending: 0,
        PendingUntil: default,
        PassedAt: null,
        StepUpRedeemed: false);

    /// <summary>Reservations still holding an attempt at <paramref name="now"/>.</summary>
    /// <param name="now">The engine's time.</param>
    public int LivePending(DateTimeOffset now) => Pending > 0 && now < PendingUntil ? Pending : 0;
}

/// <summary>
/// What a store holds for one principal across its challenges: the consecutive-failure count, the lockout, and when
/// a code was last sent to it. <see langword="default"/> is a principal with nothing to remember.
/// </summary>
/// <param name="Failures">Consecutive wrong codes; a pass resets it.</param>
/// <param name="LockedUntil">The end of the principal's lockout, if any (<see cref="DateTimeOffset.MaxValue"/>: until reset).</param>
/// <param name="LastSentAt">When a message (an email code) was last sent to it, by a start or a resend.</param>
public readonly record struct PrincipalLockState(int Failures, DateTimeOffset? LockedUntil, DateTimeOffset? LastSentAt)
{
    /// <summary>Whether the principal is locked at <paramref name="now"/>.</summary>
    /// <param name="now">The engine's time.</param>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Whether there is anything a store must keep once the principal holds no challenge.</summary>
    public bool IsEmpty => Failures == 0 && LockedUntil is null;
}

/// <summary>A decision of <see cref="SecondStepRules"/>: the answer, and the states to write back when it changes them.</summary>
/// <param name="Result">The answer for the caller.</param>
/// <param name="Challenge">The challenge's state after the decision.</param>
/// <param name="Principal">The principal's state after the decision.</param>
public readonly record struct ChallengeTransition(ChallengeStoreResult Result, ChallengeState Challenge, PrincipalLockState Principal);

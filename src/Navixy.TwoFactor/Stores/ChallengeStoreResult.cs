using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>What an <see cref="IChallengeStore"/> operation found and did.</summary>
public enum ChallengeStoreOutcome
{
    /// <summary>No such challenge for this tenant (never created, revoked, or deleted after it ended).</summary>
    NotFound = 0,

    /// <summary>The challenge was created.</summary>
    Created = 1,

    /// <summary>The digest matched; the challenge is now consumed and the principal's failures reset.</summary>
    Passed = 2,

    /// <summary>The attempt was reserved and the digest did not match.</summary>
    WrongCode = 3,

    /// <summary>The challenge was already consumed.</summary>
    Consumed = 4,

    /// <summary>The challenge's attempts are used up.</summary>
    Locked = 5,

    /// <summary>The code (for verify) or the challenge (for a resend) has expired.</summary>
    Expired = 6,

    /// <summary>The principal is locked; nothing was evaluated.</summary>
    PrincipalLocked = 7,

    /// <summary>A resend before the challenge's cooldown passed, or a start that would send within the principal's (policy.md C9).</summary>
    TooSoon = 8,

    /// <summary>A resend after the challenge sent as many codes as it may.</summary>
    SendLimitReached = 9,

    /// <summary>A resend replaced the code.</summary>
    CodeReplaced = 10,

    /// <summary>
    /// <see cref="IChallengeStore.FindAsync"/>: the challenge would accept an attempt now (not consumed, attempts left,
    /// not expired, principal not locked). Nothing was changed.
    /// </summary>
    Open = 11,

    /// <summary>A resend of a challenge whose factor sends no code (an authenticator app); nothing was changed.</summary>
    NoCodeToSend = 12,

    /// <summary>
    /// <see cref="IChallengeStore.ReserveAsync"/>: an attempt was reserved for the engine to evaluate; settle it with
    /// <see cref="IChallengeStore.SettleAsync"/>.
    /// </summary>
    Reserved = 13,

    /// <summary>
    /// The challenge's attempts are all reserved by evaluations still running: nothing was changed; ask again shortly
    /// (their outcome decides: a pass makes it <see cref="Consumed"/>, failures make it <see cref="Locked"/>).
    /// </summary>
    Busy = 14,

    /// <summary><see cref="IChallengeStore.SettleAsync"/> with <see cref="ChallengeSettlementKind.Release"/>: the reservation was released; nothing counted.</summary>
    Released = 15,
}

/// <summary>The answer of one <see cref="IChallengeStore"/> operation. Store implementations build it with the factory methods.</summary>
public readonly record struct ChallengeStoreResult
{
    private ChallengeStoreResult(
        ChallengeStoreOutcome outcome,
        long principalId = 0,
        int attempts = 0,
        int sends = 0,
        DateTimeOffset codeExpiresAt = default,
        DateTimeOffset resendAvailableAt = default,
        DateTimeOffset? lockedUntil = null)
    {
        Outcome = outcome;
        PrincipalId = principalId;
        Attempts = attempts;
        Sends = sends;
        CodeExpiresAt = codeExpiresAt;
        ResendAvailableAt = resendAvailableAt;
        LockedUntil = lockedUntil;
    }

    /// <summary>What happened.</summary>
    public ChallengeStoreOutcome Outcome { get; }

    /// <summary>The principal the challenge belongs to; 0 when not found.</summary>
    public long PrincipalId { get; }

    /// <summary>Attempts used, this one included (verify, reserve, settle).</summary>
    public int Attempts { get; }

    /// <summary>Codes sent, the new one included (resend).</summary>
    public int Sends { get; }

    /// <summary>When the new code expires (resend).</summary>
    public DateTimeOffset CodeExpiresAt { get; }

    /// <summary>When the next resend becomes possible (resend, too soon).</summary>
    public DateTimeOffset ResendAvailableAt { get; }

    /// <summary>The principal's lockout end: set by this wrong code, or the one that refused the operation.</summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary>
    /// The challenge's factor (<see cref="NewChallenge.Factor"/>). Required in every answer of
    /// <see cref="IChallengeStore.FindAsync"/> that found the challenge (set it with <c>result with { Factor = ... }</c>);
    /// other operations may leave it <see cref="FactorTypes.None"/>.
    /// </summary>
    public FactorTypes Factor { get; init; }

    /// <summary>Not found.</summary>
    public static ChallengeStoreResult NotFound => default;

    /// <summary>Created.</summary>
    public static ChallengeStoreResult Created => new(ChallengeStoreOutcome.Created);

    /// <summary>Passed.</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="attempts">Attempts used, this one included.</param>
    public static ChallengeStoreResult Passed(long principalId, int attempts) => new(ChallengeStoreOutcome.Passed, principalId, attempts);

    /// <summary>The challenge would accept an attempt now (<see cref="IChallengeStore.FindAsync"/>).</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="factor">The challenge's factor.</param>
    public static ChallengeStoreResult Open(long principalId, FactorTypes factor) => new(ChallengeStoreOutcome.Open, principalId) { Factor = factor };

    /// <summary>An attempt reserved for evaluation (<see cref="IChallengeStore.ReserveAsync"/>).</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="factor">The challenge's factor.</param>
    /// <param name="attempts">Attempts reserved, this one included.</param>
    public static ChallengeStoreResult Reserved(long principalId, FactorTypes factor, int attempts) =>
        new(ChallengeStoreOutcome.Reserved, principalId, attempts) { Factor = factor };

    /// <summary>Every attempt left is being evaluated; ask again shortly.</summary>
    /// <param name="principalId">The challenge's principal.</param>
    public static ChallengeStoreResult Busy(long principalId) => new(ChallengeStoreOutcome.Busy, principalId);

    /// <summary>A reservation released without counting anything.</summary>
    /// <param name="principalId">The challenge's principal.</param>
    public static ChallengeStoreResult Released(long principalId) => new(ChallengeStoreOutcome.Released, principalId);

    /// <summary>A resend of a challenge that sends no code.</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="factor">The challenge's factor.</param>
    public static ChallengeStoreResult NoCodeToSend(long principalId, FactorTypes factor) => new(ChallengeStoreOutcome.NoCodeToSend, principalId) { Factor = factor };

    /// <summary>A wrong code.</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="attempts">Attempts used, this one included.</param>
    /// <param name="lockedUntil">The lockout this failure set, if any.</param>
    public static ChallengeStoreResult WrongCode(long principalId, int attempts, DateTimeOffset? lockedUntil) =>
        new(ChallengeStoreOutcome.WrongCode, principalId, attempts, lockedUntil: lockedUntil);

    /// <summary>Consumed, locked or expired: a refusal about the challenge.</summary>
    /// <param name="outcome"><see cref="ChallengeStoreOutcome.Consumed"/>, <see cref="ChallengeStoreOutcome.Locked"/>, <see cref="ChallengeStoreOutcome.Expired"/> or <see cref="ChallengeStoreOutcome.SendLimitReached"/>.</param>
    /// <param name="principalId">The challenge's principal.</param>
    public static ChallengeStoreResult Refused(ChallengeStoreOutcome outcome, long principalId) => outcome is ChallengeStoreOutcome.Consumed
        or ChallengeStoreOutcome.Locked or ChallengeStoreOutcome.Expired or ChallengeStoreOutcome.SendLimitReached
        ? new(outcome, principalId)
        : throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Use the factory method of this outcome.");

    /// <summary>The principal is locked.</summary>
    /// <param name="principalId">The principal.</param>
    /// <param name="lockedUntil">Until when.</param>
    public static ChallengeStoreResult PrincipalLocked(long principalId, DateTimeOffset lockedUntil) =>
        new(ChallengeStoreOutcome.PrincipalLocked, principalId, lockedUntil: lockedUntil);

    /// <summary>A resend before the challenge's cooldown passed, or an email start before the principal's (policy.md C9).</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="resendAvailableAt">When a resend (or a start that sends) becomes possible.</param>
    public static ChallengeStoreResult TooSoon(long principalId, DateTimeOffset resendAvailableAt) =>
        new(ChallengeStoreOutcome.TooSoon, principalId, resendAvailableAt: resendAvailableAt);

    /// <summary>A resend replaced the code.</summary>
    /// <param name="principalId">The challenge's principal.</param>
    /// <param name="sends">Codes sent, the new one included.</param>
    /// <param name="codeExpiresAt">When the new code expires.</param>
    /// <param name="resendAvailableAt">When the next resend becomes possible.</param>
    public static ChallengeStoreResult CodeReplaced(long principalId, int sends, DateTimeOffset codeExpiresAt, DateTimeOffset resendAvailableAt) =>
        new(ChallengeStoreOutcome.CodeReplaced, principalId, sends: sends, codeExpiresAt: codeExpiresAt, resendAvailableAt: resendAvailableAt);
}

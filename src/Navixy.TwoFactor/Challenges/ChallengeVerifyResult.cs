namespace Navixy.TwoFactor.Challenges;

/// <summary>What verifying a code answered. <c>default</c> is <see cref="Failed"/>, never passed.</summary>
public enum ChallengeVerifyOutcome
{
    /// <summary>A store failed. Not passed; the attempt may or may not have been counted.</summary>
    Failed = 0,

    /// <summary>The code was right; the challenge is consumed. The only outcome that passes the second step.</summary>
    Passed = 1,

    /// <summary>
    /// The code was wrong (a malformed code counts as wrong, so hostile input spends attempts too); so is an authenticator
    /// code for a time step at or before the last accepted one (a replay) and a recovery code that is unknown or used.
    /// <see cref="ChallengeVerifyResult.AttemptsLeft"/> says how many remain.
    /// </summary>
    WrongCode = 2,

    /// <summary>The code (or the whole challenge) has expired; ask for a resend or start again.</summary>
    Expired = 3,

    /// <summary>The challenge used up its attempts and is locked for good, even for the right code.</summary>
    Locked = 4,

    /// <summary>The challenge was already passed; a code is accepted once only.</summary>
    AlreadyUsed = 5,

    /// <summary>No such challenge in this tenant: never issued, withdrawn, cleaned up, or issued in another tenant.</summary>
    UnknownToken = 6,

    /// <summary>The principal is locked after too many consecutive wrong codes; see <see cref="ChallengeVerifyResult.LockedUntil"/>.</summary>
    PrincipalLocked = 7,

    /// <summary>The token is not shaped like a token this engine issues (null, wrong length, wrong characters).</summary>
    InvalidInput = 8,
}

/// <summary>The answer to <see cref="ITwoFactorChallenges.VerifyAsync"/>. <c>default</c> is <see cref="ChallengeVerifyOutcome.Failed"/>.</summary>
public readonly record struct ChallengeVerifyResult
{
    private ChallengeVerifyResult(ChallengeVerifyOutcome outcome, long principalId = 0, int attemptsLeft = 0, DateTimeOffset? lockedUntil = null)
    {
        Outcome = outcome;
        PrincipalId = principalId;
        AttemptsLeft = attemptsLeft;
        LockedUntil = lockedUntil;
    }

    /// <summary>What happened.</summary>
    public ChallengeVerifyOutcome Outcome { get; }

    /// <summary>The principal who passed, read from the consumed challenge; 0 unless <see cref="IsPassed"/>.</summary>
    public long PrincipalId { get; }

    /// <summary>Wrong codes the challenge still accepts, for <see cref="ChallengeVerifyOutcome.WrongCode"/>.</summary>
    public int AttemptsLeft { get; }

    /// <summary>Until when the principal is locked (<see cref="DateTimeOffset.MaxValue"/>: until the host unlocks it).</summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary>Whether the second step is passed: the one success flag, <see langword="false"/> for <c>default</c>.</summary>
    public bool IsPassed => Outcome == ChallengeVerifyOutcome.Passed;

    /// <summary>The second step is passed.</summary>
    /// <param name="principalId">The principal the challenge belonged to.</param>
    public static ChallengeVerifyResult Passed(long principalId) => new(ChallengeVerifyOutcome.Passed, principalId);

    /// <summary>A wrong code.</summary>
    /// <param name="attemptsLeft">Wrong codes the challenge still accepts.</param>
    public static ChallengeVerifyResult WrongCode(int attemptsLeft) => new(ChallengeVerifyOutcome.WrongCode, attemptsLeft: attemptsLeft);

    /// <summary>The principal is locked.</summary>
    /// <param name="until">Until when.</param>
    public static ChallengeVerifyResult PrincipalLocked(DateTimeOffset until) => new(ChallengeVerifyOutcome.PrincipalLocked, lockedUntil: until);

    /// <summary>An answer that carries nothing but its outcome.</summary>
    /// <param name="outcome">Failed, expired, locked, already used, unknown token or invalid input.</param>
    /// <exception cref="ArgumentOutOfRangeException">The outcome needs data (passed, wrong code, principal locked).</exception>
    public static ChallengeVerifyResult Of(ChallengeVerifyOutcome outcome) => outcome is ChallengeVerifyOutcome.Passed
        or ChallengeVerifyOutcome.WrongCode or ChallengeVerifyOutcome.PrincipalLocked || !Enum.IsDefined(outcome)
        ? throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Use the factory method of this outcome.")
        : new(outcome);

    /// <summary>Describes the answer, e.g. <c>WrongCode (4 attempts left)</c>.</summary>
    public override string ToString() => Outcome switch
    {
        ChallengeVerifyOutcome.Passed => FormattableString.Invariant($"Passed (principal {PrincipalId})"),
        ChallengeVerifyOutcome.WrongCode => FormattableString.Invariant($"WrongCode ({AttemptsLeft} attempts left)"),
        ChallengeVerifyOutcome.PrincipalLocked => FormattableString.Invariant($"PrincipalLocked until {LockedUntil:O}"),
        _ => Outcome.ToString(),
    };
}

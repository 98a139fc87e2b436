namespace Navixy.TwoFactor.Challenges;

/// <summary>What asking for a new code answered. <c>default</c> is <see cref="Failed"/>.</summary>
public enum ChallengeResendOutcome
{
    /// <summary>A store failed; nothing was sent.</summary>
    Failed = 0,

    /// <summary>A new code was sent; the previous one no longer works. Attempt counters are unchanged.</summary>
    Sent = 1,

    /// <summary>The cooldown has not passed; <see cref="ChallengeResendResult.Wait"/> says how long to wait.</summary>
    TooSoon = 2,

    /// <summary>The challenge has sent as many codes as it may; start a new login.</summary>
    LimitReached = 3,

    /// <summary>The challenge has ended; start a new login.</summary>
    Expired = 4,

    /// <summary>The challenge used up its attempts and is locked for good.</summary>
    Locked = 5,

    /// <summary>The challenge was already passed.</summary>
    AlreadyUsed = 6,

    /// <summary>No such challenge in this tenant.</summary>
    UnknownToken = 7,

    /// <summary>The principal is locked after too many consecutive wrong codes; see <see cref="ChallengeResendResult.LockedUntil"/>.</summary>
    PrincipalLocked = 8,

    /// <summary>The sender failed; the challenge was withdrawn (start a new login).</summary>
    DeliveryFailed = 9,

    /// <summary>The token is not shaped like a token this engine issues.</summary>
    InvalidInput = 10,

    /// <summary>
    /// The challenge runs an authenticator app: there is no code to send. To use email instead, start again with
    /// <see cref="ITwoFactorChallenges.StartWithFactorAsync"/> and <c>FactorTypes.Email</c>.
    /// </summary>
    NothingToSend = 11,
}

/// <summary>
/// The answer to <see cref="ITwoFactorChallenges.ResendAsync"/>. It never carries a token. <c>default</c> is
/// <see cref="ChallengeResendOutcome.Failed"/>.
/// </summary>
public readonly record struct ChallengeResendResult
{
    private ChallengeResendResult(
        ChallengeResendOutcome outcome,
        DateTimeOffset expiresAt = default,
        DateTimeOffset nextResendAt = default,
        int sendsLeft = 0,
        TimeSpan wait = default,
        DateTimeOffset? lockedUntil = null)
    {
        Outcome = outcome;
        ExpiresAt = expiresAt;
        NextResendAt = nextResendAt;
        SendsLeft = sendsLeft;
        Wait = wait;
        LockedUntil = lockedUntil;
    }

    /// <summary>What happened.</summary>
    public ChallengeResendOutcome Outcome { get; }

    /// <summary>When the new code stops being accepted (sent only).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>When the next resend becomes possible (sent only).</summary>
    public DateTimeOffset NextResendAt { get; }

    /// <summary>How many more codes the challenge may send (sent only).</summary>
    public int SendsLeft { get; }

    /// <summary>How long to wait before asking again (<see cref="ChallengeResendOutcome.TooSoon"/> only).</summary>
    public TimeSpan Wait { get; }

    /// <summary>Until when the principal is locked (<see cref="ChallengeResendOutcome.PrincipalLocked"/> only).</summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary>Whether a new code was sent: the one success flag, <see langword="false"/> for <c>default</c>.</summary>
    public bool IsSent => Outcome == ChallengeResendOutcome.Sent;

    /// <summary>A new code was sent.</summary>
    /// <param name="expiresAt">When it expires.</param>
    /// <param name="nextResendAt">When the next resend becomes possible.</param>
    /// <param name="sendsLeft">How many more codes may be sent.</param>
    public static ChallengeResendResult Sent(DateTimeOffset expiresAt, DateTimeOffset nextResendAt, int sendsLeft) =>
        new(ChallengeResendOutcome.Sent, expiresAt, nextResendAt, sendsLeft);

    /// <summary>Too soon.</summary>
    /// <param name="wait">How long to wait.</param>
    public static ChallengeResendResult TooSoon(TimeSpan wait) => new(ChallengeResendOutcome.TooSoon, wait: wait);

    /// <summary>The principal is locked.</summary>
    /// <param name="until">Until when.</param>
    public static ChallengeResendResult PrincipalLocked(DateTimeOffset until) => new(ChallengeResendOutcome.PrincipalLocked, lockedUntil: until);

    /// <summary>An answer that carries nothing but its outcome.</summary>
    /// <param name="outcome">Any outcome but sent, too soon and principal locked.</param>
    /// <exception cref="ArgumentOutOfRangeException">The outcome needs data.</exception>
    public static ChallengeResendResult Of(ChallengeResendOutcome outcome) => outcome is ChallengeResendOutcome.Sent
        or ChallengeResendOutcome.TooSoon or ChallengeResendOutcome.PrincipalLocked || !Enum.IsDefined(outcome)
        ? throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Use the factory method of this outcome.")
        : new(outcome);

    /// <summary>Describes the answer, e.g. <c>TooSoon (wait 00:00:01)</c>.</summary>
    public override string ToString() => Outcome switch
    {
        ChallengeResendOutcome.Sent => FormattableString.Invariant($"Sent, code expires {ExpiresAt:O}, next resend from {NextResendAt:O}, {SendsLeft} sends left"),
        ChallengeResendOutcome.TooSoon => FormattableString.Invariant($"TooSoon (wait {Wait})"),
        ChallengeResendOutcome.PrincipalLocked => FormattableString.Invariant($"PrincipalLocked until {LockedUntil:O}"),
        _ => Outcome.ToString(),
    };
}

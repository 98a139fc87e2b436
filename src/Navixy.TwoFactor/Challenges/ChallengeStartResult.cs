using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Challenges;

/// <summary>What starting the second step answered. <c>default</c> is <see cref="Failed"/>.</summary>
public enum ChallengeStartOutcome
{
    /// <summary>A store or the resolver failed. The second step is not passed; try again later.</summary>
    Failed = 0,

    /// <summary>A challenge was created and its code sent; hand <see cref="ChallengeStartResult.Token"/> to the client.</summary>
    Started = 1,

    /// <summary>The principal need not pass a second step; <see cref="ChallengeStartResult.Reason"/> says why. Nothing was stored.</summary>
    NotRequired = 2,

    /// <summary>The principal is not registered in the tenant. Never treat this as "not required".</summary>
    UnknownPrincipal = 3,

    /// <summary>Too many consecutive wrong codes: no challenge until <see cref="ChallengeStartResult.LockedUntil"/>.</summary>
    PrincipalLocked = 4,

    /// <summary>The sender failed; the challenge was withdrawn and no token is answered.</summary>
    DeliveryFailed = 5,

    /// <summary>
    /// A second step is required, but the factor asked for (or, when none was asked for, every factor the principal may
    /// use) cannot run: email without a registered <see cref="IEmailCodeSender"/>, a factor the principal's setting does not
    /// allow, or an authenticator app that is not enrolled while another factor is usable.
    /// <see cref="ChallengeStartResult.AlternativeFactors"/> names the factors that can run. Login must not proceed.
    /// </summary>
    FactorUnavailable = 6,

    /// <summary>
    /// A second step is required and the only way to pass it is an authenticator app the principal has not enrolled, and
    /// no enrolment period lets it in to enrol (the tenant has none, the default, or the principal's ended at
    /// <see cref="ChallengeStartResult.EnrollUntil"/>): the principal cannot log in. Never a bypass: no session may be
    /// issued, not even to enrol; an administrator's reset of its authenticator (<c>ITwoFactorAdministration.ResetAsync</c>)
    /// starts its period afresh (policy.md G1). Without an enrolment period the host decides whether some other proof lets
    /// the principal enrol (<c>ITotpEnrollment</c>).
    /// </summary>
    EnrollmentRequired = 7,

    /// <summary>
    /// A code was sent to this principal less than the resend interval ago (policy.md C9): nothing was sent and no
    /// challenge made. <see cref="ChallengeStartResult.ResendAvailableAt"/> says when a start can send again and
    /// <see cref="ChallengeStartResult.RetryAfter"/> how long that is.
    /// </summary>
    TooSoon = 8,

    /// <summary>
    /// Enrol now, until <see cref="ChallengeStartResult.EnrollUntil"/> (policy.md G1): the only way to pass is an
    /// authenticator app the principal has not enrolled, and it is inside its tenant's enrolment period, which began at its
    /// first such start (a later start answers the same end). The host lets the principal in <b>only to enrol</b>: to call
    /// <c>ITotpEnrollment.BeginAsync</c> and <c>ConfirmAsync</c> for it (a first authenticator needs no step-up, as with
    /// <see cref="EnrollmentRequired"/>), and for nothing else: no session that reaches anything but enrolment, no device
    /// token. Once the enrolment is confirmed the principal has an authenticator, and its next start runs it as a second step
    /// like any other. From <see cref="ChallengeStartResult.EnrollUntil"/> on, starts answer <see cref="EnrollmentRequired"/>.
    /// The resolver still says <em>required</em> throughout.
    /// </summary>
    EnrollNow = 9,
}

/// <summary>
/// The answer to <see cref="ITwoFactorChallenges.StartAsync(TenantId, long, CancellationToken)"/> and <see cref="ITwoFactorChallenges.StartWithFactorAsync"/>. Only <see cref="ChallengeStartOutcome.Started"/>
/// carries a token; <see cref="ToString"/> never shows it.
/// </summary>
public readonly record struct ChallengeStartResult
{
    private ChallengeStartResult(
        ChallengeStartOutcome outcome,
        string? token = null,
        FactorTypes factor = FactorTypes.None,
        DateTimeOffset expiresAt = default,
        DateTimeOffset challengeExpiresAt = default,
        DateTimeOffset resendAvailableAt = default,
        NotRequiredReason reason = NotRequiredReason.None,
        DateTimeOffset? lockedUntil = null,
        FactorTypes alternativeFactors = FactorTypes.None)
    {
        Outcome = outcome;
        AlternativeFactors = alternativeFactors;
        Token = token;
        Factor = factor;
        ExpiresAt = expiresAt;
        ChallengeExpiresAt = challengeExpiresAt;
        ResendAvailableAt = resendAvailableAt;
        Reason = reason;
        LockedUntil = lockedUntil;
    }

    /// <summary>
    /// The end (T) of the principal's enrolment period (policy.md G1): with <see cref="ChallengeStartOutcome.EnrollNow"/>,
    /// until when the host may let it in to enrol; with <see cref="ChallengeStartOutcome.EnrollmentRequired"/>, when its
    /// period ended, or <see langword="null"/> when the tenant has none; <see langword="null"/> otherwise.
    /// </summary>
    public DateTimeOffset? EnrollUntil { get; private init; }

    /// <summary>What happened.</summary>
    public ChallengeStartOutcome Outcome { get; }

    /// <summary>
    /// The opaque challenge token (43 characters, 256 random bits) when started; otherwise <see langword="null"/>.
    /// Answered only here and only once: the engine keeps just a keyed hash of it.
    /// </summary>
    public string? Token { get; }

    /// <summary>
    /// The factor the challenge runs: <see cref="FactorTypes.Totp"/> (nothing was sent; the principal types the code of its
    /// authenticator app) or <see cref="FactorTypes.Email"/> (a code was sent); <see cref="FactorTypes.None"/> unless started.
    /// Either challenge also accepts one of the principal's recovery codes.
    /// </summary>
    public FactorTypes Factor { get; }

    /// <summary>
    /// The other factors the principal could pass this second step with, so a client can offer "use email instead" (start
    /// again with <see cref="ITwoFactorChallenges.StartWithFactorAsync"/>). Answered with <see cref="ChallengeStartOutcome.Started"/> and
    /// <see cref="ChallengeStartOutcome.FactorUnavailable"/>; otherwise <see cref="FactorTypes.None"/>.
    /// </summary>
    public FactorTypes AlternativeFactors { get; }

    /// <summary>When the code stops being accepted (for an authenticator app: when the challenge ends).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>When the challenge itself ends, resends included.</summary>
    public DateTimeOffset ChallengeExpiresAt { get; }

    /// <summary>When a resend becomes possible (an authenticator challenge sends nothing: its end).</summary>
    public DateTimeOffset ResendAvailableAt { get; }

    /// <summary>Why no second step is required; <see cref="NotRequiredReason.None"/> otherwise.</summary>
    public NotRequiredReason Reason { get; }

    /// <summary>Until when the principal is locked (<see cref="DateTimeOffset.MaxValue"/>: until the host unlocks it).</summary>
    public DateTimeOffset? LockedUntil { get; }

    /// <summary><see cref="ChallengeStartOutcome.TooSoon"/>: how long until a start can send a code again; zero otherwise.</summary>
    public TimeSpan RetryAfter { get; private init; }

    /// <summary>
    /// Whether a challenge was started: the one success flag, <see langword="false"/> for <c>default</c>. When
    /// <see langword="true"/>, <see cref="Token"/> is not <see langword="null"/>.
    /// </summary>
    [MemberNotNullWhen(true, nameof(Token))]
    public bool IsStarted => Outcome == ChallengeStartOutcome.Started;

    /// <summary>A started challenge.</summary>
    /// <param name="token">The challenge token.</param>
    /// <param name="factor">The factor it runs.</param>
    /// <param name="expiresAt">When the code expires.</param>
    /// <param name="challengeExpiresAt">When the challenge ends.</param>
    /// <param name="resendAvailableAt">When a resend becomes possible.</param>
    /// <param name="alternativeFactors">The other factors the principal could use instead.</param>
    public static ChallengeStartResult Started(string token, FactorTypes factor, DateTimeOffset expiresAt, DateTimeOffset challengeExpiresAt, DateTimeOffset resendAvailableAt, FactorTypes alternativeFactors)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new(ChallengeStartOutcome.Started, token, factor, expiresAt, challengeExpiresAt, resendAvailableAt, alternativeFactors: alternativeFactors);
    }

    /// <summary>The factor asked for cannot run; <paramref name="alternativeFactors"/> can.</summary>
    /// <param name="alternativeFactors">The factors that can run; <see cref="FactorTypes.None"/> when none can.</param>
    public static ChallengeStartResult FactorUnavailable(FactorTypes alternativeFactors) =>
        new(ChallengeStartOutcome.FactorUnavailable, alternativeFactors: alternativeFactors);

    /// <summary>No second step required.</summary>
    /// <param name="reason">Why.</param>
    public static ChallengeStartResult NotRequired(NotRequiredReason reason) => new(ChallengeStartOutcome.NotRequired, reason: reason);

    /// <summary>The principal is locked.</summary>
    /// <param name="until">Until when.</param>
    public static ChallengeStartResult PrincipalLocked(DateTimeOffset until) => new(ChallengeStartOutcome.PrincipalLocked, lockedUntil: until);

    /// <summary>A start refused because a code went to the principal less than the resend interval ago.</summary>
    /// <param name="availableAt">When a start can send again.</param>
    /// <param name="now">The engine's time.</param>
    public static ChallengeStartResult TooSoon(DateTimeOffset availableAt, DateTimeOffset now) =>
        new(ChallengeStartOutcome.TooSoon, resendAvailableAt: availableAt) { RetryAfter = availableAt > now ? availableAt - now : TimeSpan.Zero };

    /// <summary>Enrol now, until <paramref name="until"/> (policy.md G1): the host lets the principal in only to enrol.</summary>
    /// <param name="until">The end of the principal's enrolment period.</param>
    public static ChallengeStartResult EnrollNow(DateTimeOffset until) => new(ChallengeStartOutcome.EnrollNow) { EnrollUntil = until };

    /// <summary>Enrolment required, no one let in (policy.md G1).</summary>
    /// <param name="periodEndedAt">When the principal's enrolment period ended; <see langword="null"/> when the tenant has none.</param>
    public static ChallengeStartResult EnrollmentRequired(DateTimeOffset? periodEndedAt) =>
        new(ChallengeStartOutcome.EnrollmentRequired) { EnrollUntil = periodEndedAt };

    /// <summary>
    /// An answer that carries nothing but its outcome (failed, unknown principal, delivery failed, factor unavailable with no
    /// alternative, enrolment required without an enrolment period).
    /// </summary>
    /// <param name="outcome">The outcome.</param>
    /// <exception cref="ArgumentOutOfRangeException">The outcome needs data (started, not required, principal locked, too soon, enrol now).</exception>
    public static ChallengeStartResult Of(ChallengeStartOutcome outcome) => outcome is ChallengeStartOutcome.Failed
        or ChallengeStartOutcome.UnknownPrincipal or ChallengeStartOutcome.DeliveryFailed or ChallengeStartOutcome.FactorUnavailable
        or ChallengeStartOutcome.EnrollmentRequired
        ? new(outcome)
        : throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Use the factory method of this outcome.");

    /// <summary>Describes the answer without the token, e.g. <c>Started (Email), code expires 2026-01-01T00:05:00Z</c>.</summary>
    public override string ToString() => Outcome switch
    {
        ChallengeStartOutcome.Started => FormattableString.Invariant($"Started ({Factor}), code expires {ExpiresAt:O}, resend from {ResendAvailableAt:O}, alternatives: {AlternativeFactors}"),
        ChallengeStartOutcome.FactorUnavailable => $"FactorUnavailable (alternatives: {AlternativeFactors})",
        ChallengeStartOutcome.NotRequired => $"NotRequired ({Reason})",
        ChallengeStartOutcome.PrincipalLocked => FormattableString.Invariant($"PrincipalLocked until {LockedUntil:O}"),
        ChallengeStartOutcome.TooSoon => FormattableString.Invariant($"TooSoon (retry after {RetryAfter.TotalSeconds:0} s)"),
        ChallengeStartOutcome.EnrollNow => FormattableString.Invariant($"EnrollNow until {EnrollUntil:O}"),
        ChallengeStartOutcome.EnrollmentRequired when EnrollUntil is { } ended => FormattableString.Invariant($"EnrollmentRequired (enrolment period ended {ended:O})"),
        _ => Outcome.ToString(),
    };
}

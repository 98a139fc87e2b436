using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// Begins a second step for a user whose password was right (a login) or who is signed in (a step-up).
/// <see cref="ChallengeSecondStep"/> plugs in the library's challenge service.
/// </summary>
internal interface ISecondStep
{
    /// <summary>Begins the second step.</summary>
    /// <param name="user">The user.</param>
    /// <param name="factor">
    /// <see cref="FactorTypes.None"/>: the library picks the strongest factor the user can use (an enrolled authenticator
    /// app, else email); or exactly one factor the user chose ("use email instead").
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The challenge begun, or why not: then no session is granted.</returns>
    ValueTask<SecondStepStart> BeginAsync(SampleUser user, FactorTypes factor, CancellationToken cancellationToken);
}

/// <summary>How <see cref="ISecondStep.BeginAsync"/> ended. <c>default</c> is <see cref="NotAvailable"/>: never a session.</summary>
internal enum SecondStepStartOutcome
{
    /// <summary>
    /// The factor asked for (or, when none was, every factor) cannot run for this user: refused, never waved through.
    /// <see cref="SecondStepStart.AlternativeFactors"/> names those that can.
    /// </summary>
    NotAvailable = 0,

    /// <summary>A challenge was begun (for email: its code sent).</summary>
    Begun = 1,

    /// <summary>The user is locked after too many wrong codes (error 105 with <see cref="SecondStepStart.LockedUntil"/>).</summary>
    PrincipalLocked = 2,

    /// <summary>The challenge could not be begun (a store or the email stand-in failed): error 1, no session.</summary>
    Failed = 3,

    /// <summary>
    /// Only an authenticator app may pass this user and none is enrolled: refused (error 13), never waved through. The
    /// user enrols while signed in, before the dealer requires the authenticator alone.
    /// </summary>
    EnrollmentRequired = 4,

    /// <summary>The library requires no second step of this user (now): nothing was begun.</summary>
    NotRequired = 5,

    /// <summary>
    /// An email code went to this user less than the resend interval ago (policy.md C9): nothing was sent (error 15 with
    /// <see cref="SecondStepStart.RetryAfter"/>).
    /// </summary>
    TooSoon = 6,
}

/// <summary>The answer of <see cref="ISecondStep.BeginAsync"/>.</summary>
internal readonly record struct SecondStepStart
{
    private SecondStepStart(SecondStepStartOutcome outcome, FactorTypes factor = FactorTypes.None, string? challengeToken = null, FactorTypes alternativeFactors = FactorTypes.None)
    {
        Outcome = outcome;
        Factor = factor;
        ChallengeToken = challengeToken;
        AlternativeFactors = alternativeFactors;
    }


    /// <summary>The challenge could not be begun.</summary>
    public static SecondStepStart Failed => new(SecondStepStartOutcome.Failed);

    /// <summary>Only an authenticator app may pass the user and none is enrolled.</summary>
    public static SecondStepStart EnrollmentRequired => new(SecondStepStartOutcome.EnrollmentRequired);

    /// <summary>No second step is required of the user.</summary>
    public static SecondStepStart NotRequired => new(SecondStepStartOutcome.NotRequired);

    /// <summary>How it ended.</summary>
    public SecondStepStartOutcome Outcome { get; }

    /// <summary>Whether a challenge was begun.</summary>
    public bool Begun => Outcome == SecondStepStartOutcome.Begun;

    /// <summary>The factor the challenge runs, when begun.</summary>
    public FactorTypes Factor { get; }

    /// <summary>The factor's wire name (<c>email</c>, <c>totp</c>), when begun.</summary>
    public string? FactorType => Begun ? Factor.ToWireName() : null;

    /// <summary>
    /// When begun, the other factors the user could use instead; when not available, the factors that can run.
    /// </summary>
    public FactorTypes AlternativeFactors { get; }

    /// <summary>The library's challenge token, when begun; kept server-side, never sent to the client.</summary>
    public string? ChallengeToken { get; }

    /// <summary>When locked: until when (<see cref="DateTimeOffset.MaxValue"/>: until an administrator unlocks the user).</summary>
    public DateTimeOffset? LockedUntil { get; private init; }

    /// <summary>When too soon: how long until a start may send a code again.</summary>
    public TimeSpan RetryAfter { get; private init; }

    /// <summary>The user is locked after too many wrong codes.</summary>
    /// <param name="until">Until when.</param>
    public static SecondStepStart PrincipalLocked(DateTimeOffset? until) => new(SecondStepStartOutcome.PrincipalLocked) { LockedUntil = until };

    /// <summary>A code went to the user too recently; nothing was sent.</summary>
    /// <param name="retryAfter">How long until a start may send again.</param>
    public static SecondStepStart TooSoon(TimeSpan retryAfter) => new(SecondStepStartOutcome.TooSoon) { RetryAfter = retryAfter };

    /// <summary>The factor asked for cannot run; <paramref name="alternativeFactors"/> can.</summary>
    /// <param name="alternativeFactors">The factors that can run.</param>
    public static SecondStepStart NotAvailable(FactorTypes alternativeFactors = FactorTypes.None) =>
        new(SecondStepStartOutcome.NotAvailable, alternativeFactors: alternativeFactors);

    /// <summary>A challenge was begun.</summary>
    /// <param name="factor">The factor it runs: exactly one.</param>
    /// <param name="challengeToken">The library's challenge token.</param>
    /// <param name="alternativeFactors">The other factors the user could use instead.</param>
    public static SecondStepStart Started(FactorTypes factor, string challengeToken, FactorTypes alternativeFactors = FactorTypes.None)
    {
        if (factor.ToWireName() is null)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Exactly one known factor.");
        }

        ArgumentException.ThrowIfNullOrEmpty(challengeToken);
        return new(SecondStepStartOutcome.Begun, factor, challengeToken, alternativeFactors);
    }

    /// <summary>Describes the answer without the challenge token.</summary>
    public override string ToString() => Begun ? $"begun ({FactorType}; alternatives: {AlternativeFactors})" : Outcome.ToString();
}

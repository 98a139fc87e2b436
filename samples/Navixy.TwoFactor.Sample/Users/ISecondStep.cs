using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// Begins the login's second step for a user whose password was right and whom the library's resolver
/// requires it of. <see cref="EmailSecondStep"/> plugs in the library's challenge service.
/// </summary>
internal interface ISecondStep
{
    /// <summary>Begins the second step.</summary>
    /// <param name="user">The user who passed the password check.</param>
    /// <param name="requirement">The resolver's answer; <see cref="Requirement.IsRequired"/> is true.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The challenge begun, or why not: then no session is granted.</returns>
    ValueTask<SecondStepStart> BeginAsync(SampleUser user, Requirement requirement, CancellationToken cancellationToken);
}

/// <summary>How <see cref="ISecondStep.BeginAsync"/> ended. <c>default</c> is <see cref="NotAvailable"/>: never a session.</summary>
internal enum SecondStepStartOutcome
{
    /// <summary>The host cannot run any of the user's factors: the login is refused (error 13), never waved through.</summary>
    NotAvailable = 0,

    /// <summary>A challenge was begun and its code sent.</summary>
    Begun = 1,

    /// <summary>The user is locked after too many wrong codes (error 105).</summary>
    PrincipalLocked = 2,

    /// <summary>The challenge could not be begun (a store or the email stand-in failed): error 1, no session.</summary>
    Failed = 3,
}

/// <summary>The answer of <see cref="ISecondStep.BeginAsync"/>.</summary>
internal readonly record struct SecondStepStart
{
    private SecondStepStart(SecondStepStartOutcome outcome, string? factorType = null, string? challengeToken = null)
    {
        Outcome = outcome;
        FactorType = factorType;
        ChallengeToken = challengeToken;
    }

    /// <summary>The host cannot run a second step for this user: the login must be refused, never waved through.</summary>
    public static SecondStepStart NotAvailable => default;

    /// <summary>The user is locked after too many wrong codes.</summary>
    public static SecondStepStart PrincipalLocked => new(SecondStepStartOutcome.PrincipalLocked);

    /// <summary>The challenge could not be begun.</summary>
    public static SecondStepStart Failed => new(SecondStepStartOutcome.Failed);

    /// <summary>How it ended.</summary>
    public SecondStepStartOutcome Outcome { get; }

    /// <summary>Whether a challenge was begun.</summary>
    public bool Begun => Outcome == SecondStepStartOutcome.Begun;

    /// <summary>The factor's wire name, e.g. <c>email</c>, when begun.</summary>
    public string? FactorType { get; }

    /// <summary>The library's challenge token, when begun; kept server-side in the restricted session, never sent to the client.</summary>
    public string? ChallengeToken { get; }

    /// <summary>A challenge was begun.</summary>
    /// <param name="factorType">The factor's wire name.</param>
    /// <param name="challengeToken">The library's challenge token.</param>
    public static SecondStepStart Started(string factorType, string challengeToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(factorType);
        ArgumentException.ThrowIfNullOrEmpty(challengeToken);
        return new(SecondStepStartOutcome.Begun, factorType, challengeToken);
    }

    /// <summary>Describes the answer without the challenge token.</summary>
    public override string ToString() => Begun ? $"begun ({FactorType})" : Outcome.ToString();
}

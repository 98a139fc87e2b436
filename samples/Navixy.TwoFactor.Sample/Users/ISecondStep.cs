using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// Begins the login's second step for a user whose password was right and whom the library's resolver
/// requires it of. This is where the library's challenge service plugs in (email codes, then TOTP).
/// </summary>
internal interface ISecondStep
{
    /// <summary>Begins the second step.</summary>
    /// <param name="user">The user who passed the password check.</param>
    /// <param name="requirement">The resolver's answer; <see cref="Requirement.IsRequired"/> is true.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The challenge begun, or <see cref="SecondStepStart.NotAvailable"/>: then no session is granted.</returns>
    ValueTask<SecondStepStart> BeginAsync(SampleUser user, Requirement requirement, CancellationToken cancellationToken);
}

/// <summary>The answer of <see cref="ISecondStep.BeginAsync"/>.</summary>
internal readonly record struct SecondStepStart
{
    private SecondStepStart(string? factorType, string? challengeToken)
    {
        FactorType = factorType;
        ChallengeToken = challengeToken;
    }

    /// <summary>The host cannot run a second step for this user: the login must be refused, never waved through.</summary>
    public static SecondStepStart NotAvailable => default;

    /// <summary>Whether a challenge was begun.</summary>
    public bool Begun => ChallengeToken is not null;

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
        return new(factorType, challengeToken);
    }

    /// <summary>Describes the answer without the challenge token.</summary>
    public override string ToString() => Begun ? $"begun ({FactorType})" : "not available";
}

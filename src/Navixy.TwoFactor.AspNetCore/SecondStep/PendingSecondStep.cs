using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.SecondStep;

/// <summary>
/// A second step in progress: the password was right, a library challenge runs, and the client holds only a restricted
/// handle, good for the authentication-code calls and nothing else. Bound to the user's dealer and principal: a pass of
/// a challenge for anyone else grants nothing. Or, when <see cref="EnrollUntil"/> is set, an enrolment in progress (policy.md
/// G1): no challenge runs and the handle is good only for enrolling an authenticator app. <see cref="ToString"/> never
/// shows the challenge token.
/// </summary>
/// <param name="User">Who is signing in.</param>
/// <param name="Factor">The factor the challenge runs (<see cref="FactorTypes.Email"/> or <see cref="FactorTypes.Totp"/>).</param>
/// <param name="ChallengeToken">The library's challenge token: kept on the server, never sent, never logged.</param>
public sealed record PendingSecondStep(TwoFactorUser User, FactorTypes Factor, string ChallengeToken)
{
    /// <summary>The factors the user may still switch to (once per sign-in); <see cref="FactorTypes.None"/> after a switch.</summary>
    public FactorTypes AlternativeFactors { get; init; }

    /// <summary>
    /// The end of the user's enrolment period when this is an enrolment (the library's start answered <c>EnrollNow</c>):
    /// until then the handle admits <c>user/auth/totp/begin</c> and <c>user/auth/totp/confirm</c> and nothing else, and
    /// no challenge runs (<see cref="ChallengeToken"/> is empty); <see langword="null"/> for a second step.
    /// </summary>
    public DateTimeOffset? EnrollUntil { get; init; }

    /// <summary>An enrolment in progress (policy.md G1): the user may only enrol an authenticator app, until <paramref name="enrollUntil"/>.</summary>
    /// <param name="user">Who is signing in.</param>
    /// <param name="enrollUntil">The end of the user's enrolment period, as the library's start answered it.</param>
    public static PendingSecondStep Enrollment(TwoFactorUser user, DateTimeOffset enrollUntil) =>
        new(user, FactorTypes.Totp, string.Empty) { EnrollUntil = enrollUntil };

    /// <summary>Describes the step without its challenge token.</summary>
    public override string ToString() => EnrollUntil is { } until ? $"enrolment of {User} until {until:O}" : $"second step ({Factor}) of {User}";
}

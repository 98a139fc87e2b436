using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.SecondStep;

/// <summary>
/// A second step in progress: the password was right, a library challenge runs, and the client holds only a restricted
/// handle, good for the authentication-code calls and nothing else. Bound to the user's dealer and principal: a pass of
/// a challenge for anyone else grants nothing. <see cref="ToString"/> never shows the challenge token.
/// </summary>
/// <param name="User">Who is signing in.</param>
/// <param name="Factor">The factor the challenge runs (<see cref="FactorTypes.Email"/> or <see cref="FactorTypes.Totp"/>).</param>
/// <param name="ChallengeToken">The library's challenge token: kept on the server, never sent, never logged.</param>
public sealed record PendingSecondStep(TwoFactorUser User, FactorTypes Factor, string ChallengeToken)
{
    /// <summary>The factors the user may still switch to (once per sign-in); <see cref="FactorTypes.None"/> after a switch.</summary>
    public FactorTypes AlternativeFactors { get; init; }

    /// <summary>Describes the step without its challenge token.</summary>
    public override string ToString() => $"second step ({Factor}) of {User}";
}

using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.StepUp;

/// <summary>
/// A step-up begun by a signed-in user: a second step run again, whose passed challenge proves "it is really you, just
/// now" to the library's sensitive calls. Kept on the server under a <c>step_up_hash</c>; bound to the full session
/// that began it.
/// </summary>
/// <param name="Dealer">The user's dealer.</param>
/// <param name="UserId">The user.</param>
/// <param name="OwnerDigest">The digest of the full session hash that began it; no other session may use it.</param>
/// <param name="ChallengeToken">The library's challenge token (opaque; only this server holds it). Never logged.</param>
/// <param name="Factor">The factor the challenge runs.</param>
internal sealed record StepUpSession(TenantId Dealer, long UserId, string OwnerDigest, string ChallengeToken, FactorTypes Factor)
{
    /// <summary>Whether the challenge has been passed; only then does the step-up count as proof.</summary>
    public bool Passed { get; init; }

    /// <summary>Describes the step-up without its challenge token.</summary>
    public override string ToString() => $"step-up ({Factor}, {(Passed ? "passed" : "pending")}) of user {UserId} in {Dealer}";
}

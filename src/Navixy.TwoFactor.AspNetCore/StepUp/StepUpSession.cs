using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.StepUp;

/// <summary>
/// A step-up begun by a signed-in user: a second step run again, whose passed challenge proves "it is really you, just
/// now". Kept on the server under a <c>step_up_hash</c>; bound to the full session that began it.
/// </summary>
/// <param name="User">The user.</param>
/// <param name="OwnerDigest">The digest of the full session hash that began it; no other session may use it.</param>
/// <param name="ChallengeToken">The library's challenge token (opaque; only this server holds it). Never logged.</param>
/// <param name="Factor">The factor the challenge runs.</param>
internal sealed record StepUpSession(TwoFactorUser User, string OwnerDigest, string ChallengeToken, FactorTypes Factor)
{
    /// <summary>When the challenge was passed; only then does the step-up count as proof.</summary>
    public DateTimeOffset? PassedAt { get; init; }

    /// <summary>Describes the step-up without its challenge token.</summary>
    public override string ToString() => $"step-up ({Factor}, {(PassedAt is null ? "pending" : "passed")}) of {User}";
}

using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.StepUp;

/// <summary>
/// What <c>RequireStepUp()</c> hands an endpoint: the signed-in user passed a fresh step-up for this call, which is now
/// spent. <see cref="ChallengeToken"/> is the passed challenge's token, for the library's own step-up checks (e.g.
/// <c>ITotpEnrollment.DisableAsync</c>); <see cref="ToString"/> never shows it.
/// </summary>
/// <param name="Tenant">The user's dealer.</param>
/// <param name="PrincipalId">The user.</param>
/// <param name="SessionHash">The full session hash of the call.</param>
/// <param name="ChallengeToken">The passed challenge's token. Never logged.</param>
/// <param name="PassedAt">When the step-up was passed.</param>
public sealed record StepUpProof(TenantId Tenant, long PrincipalId, string SessionHash, string ChallengeToken, DateTimeOffset PassedAt)
{
    /// <summary>Describes the proof without the token or the session hash.</summary>
    public override string ToString() => $"step-up of user {PrincipalId} in {Tenant}, passed at {PassedAt:O}";
}

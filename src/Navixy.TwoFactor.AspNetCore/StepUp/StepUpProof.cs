using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.StepUp;

/// <summary>
/// What <c>RequireStepUp()</c> hands an endpoint: the signed-in user passed a fresh step-up for this call, which the
/// library has redeemed (<c>ITwoFactorStepUp</c>) and is now spent. <see cref="ToString"/> never shows the session hash.
/// </summary>
/// <param name="Tenant">The user's dealer.</param>
/// <param name="PrincipalId">The user.</param>
/// <param name="SessionHash">The full session hash of the call.</param>
/// <param name="PassedAt">When the step-up was passed.</param>
public sealed record StepUpProof(TenantId Tenant, long PrincipalId, string SessionHash, DateTimeOffset PassedAt)
{
    /// <summary>Describes the proof without the session hash.</summary>
    public override string ToString() => $"step-up of user {PrincipalId} in {Tenant}, passed at {PassedAt:O}";
}

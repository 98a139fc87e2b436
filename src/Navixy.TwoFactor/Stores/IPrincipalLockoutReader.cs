using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Optional for an <see cref="IChallengeStore"/>: reads a principal's failure count and lockout without changing anything,
/// so that a start presenting a remembered-device token can let the lockout win (policy.md C4, D2) before the token is
/// honoured. A store over a database that also implements <see cref="IPrincipalStartStore"/> answers the same in
/// <see cref="PrincipalStart.Lockout"/>, in the start's one read. When neither is available the engine honours no device
/// token (fail closed): the start goes on as without it.
/// </summary>
public interface IPrincipalLockoutReader
{
    /// <summary>
    /// The principal's state as <see cref="SecondStepRules"/> reads it; <c>default</c> for a principal with nothing
    /// recorded. The caller decides with <see cref="PrincipalLockState.IsLockedAt"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<PrincipalLockState> GetPrincipalStateAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

using Navixy.TwoFactor.Policy;

/// <summary>Answers, for a principal of a tenant, whether it must pass a second step and why (R1–R5).</summary>
public interface ITwoFactorResolver
{
    /// <summary>Reads the principal's snapshot from the store and resolves it.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The account or sub-user id; any value (unknown ids answer <see cref="RequirementOutcome.UnknownPrincipal"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The requirement with its explanation.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is <c>default</c>.</exception>
    /// <remarks>A store failure propagates as its exception: the host must then treat the second step as not passed.</remarks>
    ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);
}

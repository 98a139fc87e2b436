using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Reads what the resolver decides from. One call per login: a database store answers it in one round trip.
/// </summary>
public interface IPrincipalPolicyStore
{
    /// <summary>
    /// Reads the snapshot for one principal: what it is, the account that decides for it, and the tenant's
    /// settings. An id the tenant does not have (including another tenant's id) answers
    /// <see cref="PrincipalKind.Unknown"/>; so does a sub-user whose account is gone.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal (account or sub-user) id; any value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>Reads the tenant's settings; <see cref="TenantPolicy.Initial"/> for a tenant never written to.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken);
}

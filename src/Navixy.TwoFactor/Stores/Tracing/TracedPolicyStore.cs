using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IPrincipalPolicyStore"/> with a span per call (<c>navixy.twofactor.store policy.…</c>).</summary>
internal sealed class TracedPolicyStore(IPrincipalPolicyStore inner) : IPrincipalPolicyStore
{
    public async ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("policy.find_principal");
        try
        {
            return await inner.FindPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public async ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("policy.get_tenant");
        try
        {
            return await inner.GetTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

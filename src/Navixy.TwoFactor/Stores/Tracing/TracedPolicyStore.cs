using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IPrincipalPolicyStore"/> with a span per call (<c>navixy.twofactor.store policy.…</c>).</summary>
internal class TracedPolicyStore(IPrincipalPolicyStore inner) : IPrincipalPolicyStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    /// <summary>Wraps <paramref name="inner"/>, keeping its one-round-trip start read (<see cref="IPrincipalStartStore"/>) when it has one.</summary>
    public static IPrincipalPolicyStore Wrap(IPrincipalPolicyStore inner) =>
        inner is IPrincipalStartStore start ? new TracedStartPolicyStore(inner, start) : new TracedPolicyStore(inner);

    public ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedFindPrincipalAsync(tenant, principalId, cancellationToken) : inner.FindPrincipalAsync(tenant, principalId, cancellationToken);

    private async ValueTask<PrincipalPolicy> TracedFindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
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

    public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedGetTenantAsync(tenant, cancellationToken) : inner.GetTenantAsync(tenant, cancellationToken);

    private async ValueTask<TenantPolicy> TracedGetTenantAsync(TenantId tenant, CancellationToken cancellationToken)
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

/// <summary>A traced policy store whose store also reads a principal with its enrolment in one round trip.</summary>
internal sealed class TracedStartPolicyStore(IPrincipalPolicyStore inner, IPrincipalStartStore start) : TracedPolicyStore(inner), IPrincipalStartStore
{
    public ValueTask<PrincipalStart> FindPrincipalForStartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedFindForStartAsync(tenant, principalId, cancellationToken) : start.FindPrincipalForStartAsync(tenant, principalId, cancellationToken);

    private async ValueTask<PrincipalStart> TracedFindForStartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("policy.find_principal_for_start");
        try
        {
            return await start.FindPrincipalForStartAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

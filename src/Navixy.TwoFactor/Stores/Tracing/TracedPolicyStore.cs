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
        StoreSpan.Enabled ? StoreSpan.TraceAsync("policy.find_principal", () => inner.FindPrincipalAsync(tenant, principalId, cancellationToken)) : inner.FindPrincipalAsync(tenant, principalId, cancellationToken);

    public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("policy.get_tenant", () => inner.GetTenantAsync(tenant, cancellationToken)) : inner.GetTenantAsync(tenant, cancellationToken);
}

/// <summary>A traced policy store whose store also reads a principal with its enrolment in one round trip.</summary>
internal sealed class TracedStartPolicyStore(IPrincipalPolicyStore inner, IPrincipalStartStore start) : TracedPolicyStore(inner), IPrincipalStartStore
{
    public ValueTask<PrincipalStart> FindPrincipalForStartAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("policy.find_principal_for_start", () => start.FindPrincipalForStartAsync(tenant, principalId, cancellationToken)) : start.FindPrincipalForStartAsync(tenant, principalId, cancellationToken);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Answers <see cref="ITwoFactorResolver"/>: one read of the principal's snapshot from <see cref="IPrincipalPolicyStore"/>,
/// then the pure <see cref="TwoFactorResolver"/>.
/// </summary>
internal sealed class TwoFactorResolutionService(IPrincipalPolicyStore policies) : ITwoFactorResolver, IStoreBackedResolver
{
    public IPrincipalPolicyStore Policies => policies;

    public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var pending = policies.FindPrincipalAsync(tenant, principalId, cancellationToken);

        // Every login comes here: a store that answers synchronously (the in-memory one) costs no state machine,
        // so the common path allocates nothing in any build configuration.
        return pending.IsCompletedSuccessfully
            ? new ValueTask<Requirement>(TwoFactorResolver.Resolve(pending.Result))
            : ResolveLaterAsync(pending);
    }

    private static async ValueTask<Requirement> ResolveLaterAsync(ValueTask<PrincipalPolicy> pending) =>
        TwoFactorResolver.Resolve(await pending.ConfigureAwait(false));
}

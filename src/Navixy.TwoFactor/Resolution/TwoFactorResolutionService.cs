using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Answers <see cref="ITwoFactorResolver"/>: one read of the principal's snapshot from <see cref="IPrincipalPolicyStore"/>,
/// then the pure <see cref="TwoFactorResolver"/> at the moment its <see cref="TimeProvider"/> gives (scheduled changes, S11).
/// </summary>
internal sealed class TwoFactorResolutionService(IPrincipalPolicyStore policies, TimeProvider time) : ITwoFactorResolver, IStoreBackedResolver
{
    public IPrincipalPolicyStore Policies => policies;

    public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        var pending = policies.FindPrincipalAsync(tenant, principalId, cancellationToken);
        var at = time.GetUtcNow();

        // Every login comes here: a store that answers synchronously (the in-memory one) costs no state machine,
        // so the common path allocates nothing in any build configuration.
        return pending.IsCompletedSuccessfully
            ? new ValueTask<Requirement>(TwoFactorResolver.Resolve(pending.Result with { At = at }))
            : ResolveLaterAsync(pending, at);
    }

    private static async ValueTask<Requirement> ResolveLaterAsync(ValueTask<PrincipalPolicy> pending, DateTimeOffset at) =>
        TwoFactorResolver.Resolve((await pending.ConfigureAwait(false)) with { At = at });
}

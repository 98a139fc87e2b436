using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Resolution;

/// <summary>
/// Resolves pages of principals through any <see cref="IPrincipalPolicyStore"/>, one snapshot at a time. The in-memory store
/// has its own, which reads its table in place and can stream a whole tenant.
/// </summary>
internal sealed class TwoFactorBulkResolver(IPrincipalPolicyStore policies) : ITwoFactorBulkResolver
{
    public ValueTask ResolveManyAsync(TenantId tenant, ReadOnlyMemory<long> principalIds, Memory<Requirement> answers, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (answers.Length < principalIds.Length)
        {
            throw new ArgumentException("Give room for one answer per principal id.", nameof(answers));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ResolveOneByOneAsync(tenant, principalIds, answers, cancellationToken);
    }

    public IAsyncEnumerable<ReadOnlyMemory<Requirement>> ResolveTenantAsync(TenantId tenant, int pageSize = 1024, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        throw new NotSupportedException("The registered IPrincipalPolicyStore cannot list a tenant's principals; resolve pages of known ids with ResolveManyAsync.");
    }

    private async ValueTask ResolveOneByOneAsync(TenantId tenant, ReadOnlyMemory<long> principalIds, Memory<Requirement> answers, CancellationToken cancellationToken)
    {
        for (var i = 0; i < principalIds.Length; i++)
        {
            var snapshot = await policies.FindPrincipalAsync(tenant, principalIds.Span[i], cancellationToken).ConfigureAwait(false);
            answers.Span[i] = TwoFactorResolver.Resolve(snapshot);
        }
    }
}

using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores;
using Navixy.TwoFactor.Stores.InMemory;

namespace Navixy.TwoFactor.Settings;

/// <summary>Resolves pages of principals, or a whole tenant, through the registered policy store.</summary>
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
        if (policies is InMemoryPolicyStore memory)
        {
            memory.ResolveMany(tenant, principalIds.Span, answers.Span);
            return ValueTask.CompletedTask;
        }

        return ResolveOneByOneAsync(tenant, principalIds, answers, cancellationToken);
    }

    public IAsyncEnumerable<ReadOnlyMemory<Requirement>> ResolveTenantAsync(TenantId tenant, int pageSize = 1024, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return policies is InMemoryPolicyStore memory
            ? StreamAsync(memory.ScanTenant(tenant), pageSize, cancellationToken)
            : throw new NotSupportedException("The registered IPrincipalPolicyStore cannot list a tenant's principals; resolve pages of known ids with ResolveManyAsync.");
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<Requirement>> StreamAsync(InMemoryPolicyStore.TenantScan scan, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = new Requirement[pageSize];
        int count;
        while ((count = scan.Next(page)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return page.AsMemory(0, count);
        }

        await Task.CompletedTask.ConfigureAwait(false);
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

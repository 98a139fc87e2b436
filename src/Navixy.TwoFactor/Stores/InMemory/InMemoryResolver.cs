using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.Tracing;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The resolver of the in-memory store: reads its principal table in place (no interface call, no snapshot in a
/// <see cref="ValueTask{TResult}"/> to unwrap) and resolves with the pure <see cref="TwoFactorResolver"/>, one principal
/// (also at once, <see cref="ITwoFactorImmediateResolver"/>), a page, or a whole tenant streamed. Registered instead of the store-agnostic services when the in-memory store is the
/// registered <see cref="IPrincipalPolicyStore"/>; it answers exactly as they would.
/// </summary>
internal sealed class InMemoryResolver(InMemoryPolicyStore memory, TimeProvider time) : ITwoFactorResolver, ITwoFactorImmediateResolver, ITwoFactorBulkResolver, IStoreBackedResolver
{
    public IPrincipalPolicyStore Policies => memory;

    public ValueTask<Requirement> ResolveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<Requirement>(StoreSpan.Enabled ? ResolveTraced(tenant, principalId) : memory.Resolve(tenant, principalId, time));
    }

    public bool TryResolve(TenantId tenant, long principalId, out Requirement requirement)
    {
        TenantId.ThrowIfInvalid(tenant);
        requirement = StoreSpan.Enabled ? ResolveTraced(tenant, principalId) : memory.Resolve(tenant, principalId, time);
        return true;
    }

    public ValueTask ResolveManyAsync(TenantId tenant, ReadOnlyMemory<long> principalIds, Memory<Requirement> answers, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (answers.Length < principalIds.Length)
        {
            throw new ArgumentException("Give room for one answer per principal id.", nameof(answers));
        }

        cancellationToken.ThrowIfCancellationRequested();
        memory.ResolveMany(tenant, principalIds.Span, answers.Span, time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<ReadOnlyMemory<Requirement>> ResolveTenantAsync(TenantId tenant, int pageSize = 1024, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return StreamAsync(memory.ScanTenant(tenant, time.GetUtcNow()), pageSize, cancellationToken);
    }

    /// <summary>Traced like every store read when someone listens; kept out of line, so the common path stays one small frame.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Requirement ResolveTraced(TenantId tenant, long principalId)
    {
        using var span = StoreSpan.Start("policy.find_principal");
        return memory.Resolve(tenant, principalId, time);
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
}

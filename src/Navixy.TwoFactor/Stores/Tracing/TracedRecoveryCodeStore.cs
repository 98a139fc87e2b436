using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IRecoveryCodeStore"/> with a span per call (<c>navixy.twofactor.store recovery_code.…</c>).</summary>
internal sealed class TracedRecoveryCodeStore(IRecoveryCodeStore inner) : IRecoveryCodeStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedReplaceAsync(tenant, principalId, codes, cancellationToken) : inner.ReplaceAsync(tenant, principalId, codes, cancellationToken);

    private async ValueTask TracedReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("recovery_code.replace");
        try
        {
            await inner.ReplaceAsync(tenant, principalId, codes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedFindUnusedAsync(tenant, principalId, lookupId, cancellationToken) : inner.FindUnusedAsync(tenant, principalId, lookupId, cancellationToken);

    private async ValueTask<IReadOnlyList<RecoveryCodeHash>> TracedFindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("recovery_code.find_unused");
        try
        {
            return await inner.FindUnusedAsync(tenant, principalId, lookupId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedFindUsedAsync(tenant, principalId, lookupId, cancellationToken) : inner.FindUsedAsync(tenant, principalId, lookupId, cancellationToken);

    private async ValueTask<IReadOnlyList<RecoveryCodeHash>> TracedFindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("recovery_code.find_used");
        try
        {
            return await inner.FindUsedAsync(tenant, principalId, lookupId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<bool> TryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedTryMarkUsedAsync(tenant, principalId, code, cancellationToken) : inner.TryMarkUsedAsync(tenant, principalId, code, cancellationToken);

    private async ValueTask<bool> TracedTryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("recovery_code.try_mark_used");
        try
        {
            return await inner.TryMarkUsedAsync(tenant, principalId, code, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<int> CountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedCountUnusedAsync(tenant, principalId, cancellationToken) : inner.CountUnusedAsync(tenant, principalId, cancellationToken);

    private async ValueTask<int> TracedCountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("recovery_code.count_unused");
        try
        {
            return await inner.CountUnusedAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<int> DeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedDeleteAllAsync(tenant, principalId, cancellationToken) : inner.DeleteAllAsync(tenant, principalId, cancellationToken);

    private async ValueTask<int> TracedDeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("recovery_code.delete_all");
        try
        {
            return await inner.DeleteAllAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

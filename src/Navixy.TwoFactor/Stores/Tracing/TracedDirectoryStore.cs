using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IPrincipalDirectoryStore"/> with a span per call (<c>navixy.twofactor.store directory.…</c>).</summary>
internal sealed class TracedDirectoryStore(IPrincipalDirectoryStore inner) : IPrincipalDirectoryStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedAddAccountAsync(tenant, accountId, origin, isDemo, cancellationToken) : inner.AddAccountAsync(tenant, accountId, origin, isDemo, cancellationToken);

    private async ValueTask<DirectoryResult> TracedAddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("directory.add_account");
        try
        {
            return await inner.AddAccountAsync(tenant, accountId, origin, isDemo, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedAddSubUserAsync(tenant, subUserId, accountId, cancellationToken) : inner.AddSubUserAsync(tenant, subUserId, accountId, cancellationToken);

    private async ValueTask<DirectoryResult> TracedAddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("directory.add_sub_user");
        try
        {
            return await inner.AddSubUserAsync(tenant, subUserId, accountId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedRemoveAsync(tenant, principalId, cancellationToken) : inner.RemoveAsync(tenant, principalId, cancellationToken);

    private async ValueTask<DirectoryResult> TracedRemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("directory.remove");
        try
        {
            return await inner.RemoveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<DirectoryPage> ListAsync(TenantId tenant, long afterId, int pageSize, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedListAsync(tenant, afterId, pageSize, cancellationToken) : inner.ListAsync(tenant, afterId, pageSize, cancellationToken);

    private async ValueTask<DirectoryPage> TracedListAsync(TenantId tenant, long afterId, int pageSize, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("directory.list");
        try
        {
            return await inner.ListAsync(tenant, afterId, pageSize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

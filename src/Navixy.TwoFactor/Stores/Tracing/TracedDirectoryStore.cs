using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IPrincipalDirectoryStore"/> with a span per call (<c>navixy.twofactor.store directory.…</c>).</summary>
internal sealed class TracedDirectoryStore(IPrincipalDirectoryStore inner) : IPrincipalDirectoryStore
{
    public async ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken)
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

    public async ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken)
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

    public async ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
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
}

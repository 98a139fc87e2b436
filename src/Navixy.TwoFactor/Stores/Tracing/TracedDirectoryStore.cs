using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IPrincipalDirectoryStore"/> with a span per call (<c>navixy.twofactor.store directory.…</c>).</summary>
internal sealed class TracedDirectoryStore(IPrincipalDirectoryStore inner) : IPrincipalDirectoryStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("directory.add_account", () => inner.AddAccountAsync(tenant, accountId, origin, isDemo, cancellationToken)) : inner.AddAccountAsync(tenant, accountId, origin, isDemo, cancellationToken);

    public ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("directory.add_sub_user", () => inner.AddSubUserAsync(tenant, subUserId, accountId, cancellationToken)) : inner.AddSubUserAsync(tenant, subUserId, accountId, cancellationToken);

    public ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("directory.remove", () => inner.RemoveAsync(tenant, principalId, cancellationToken)) : inner.RemoveAsync(tenant, principalId, cancellationToken);

    public ValueTask<DirectoryPage> ListAsync(TenantId tenant, long afterId, int pageSize, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("directory.list", () => inner.ListAsync(tenant, afterId, pageSize, cancellationToken)) : inner.ListAsync(tenant, afterId, pageSize, cancellationToken);
}

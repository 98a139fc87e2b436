using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="IRecoveryCodeStore"/> with a span per call (<c>navixy.twofactor.store recovery_code.…</c>).</summary>
internal sealed class TracedRecoveryCodeStore(IRecoveryCodeStore inner) : IRecoveryCodeStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("recovery_code.replace", () => inner.ReplaceAsync(tenant, principalId, codes, cancellationToken)) : inner.ReplaceAsync(tenant, principalId, codes, cancellationToken);

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("recovery_code.find_unused", () => inner.FindUnusedAsync(tenant, principalId, lookupId, cancellationToken)) : inner.FindUnusedAsync(tenant, principalId, lookupId, cancellationToken);

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("recovery_code.find_used", () => inner.FindUsedAsync(tenant, principalId, lookupId, cancellationToken)) : inner.FindUsedAsync(tenant, principalId, lookupId, cancellationToken);

    public ValueTask<bool> TryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("recovery_code.try_mark_used", () => inner.TryMarkUsedAsync(tenant, principalId, code, cancellationToken)) : inner.TryMarkUsedAsync(tenant, principalId, code, cancellationToken);

    public ValueTask<int> CountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("recovery_code.count_unused", () => inner.CountUnusedAsync(tenant, principalId, cancellationToken)) : inner.CountUnusedAsync(tenant, principalId, cancellationToken);

    public ValueTask<int> DeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("recovery_code.delete_all", () => inner.DeleteAllAsync(tenant, principalId, cancellationToken)) : inner.DeleteAllAsync(tenant, principalId, cancellationToken);
}

using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="ISettingsStore"/> with a span per call (<c>navixy.twofactor.store settings.…</c>).</summary>
internal sealed class TracedSettingsStore(ISettingsStore inner) : ISettingsStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, AuditContext audit, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("settings.update_all", () => inner.UpdateAllAsync(tenant, setting, includeDefault, dryRun, audit, cancellationToken)) : inner.UpdateAllAsync(tenant, setting, includeDefault, dryRun, audit, cancellationToken);

    public ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("settings.update_selected", () => inner.UpdateSelectedAsync(tenant, accountIds, setting, dryRun, audit, cancellationToken)) : inner.UpdateSelectedAsync(tenant, accountIds, setting, dryRun, audit, cancellationToken);

    public ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? StoreSpan.TraceAsync("settings.update_default", () => inner.UpdateDefaultAsync(tenant, setting, dryRun, audit, cancellationToken)) : inner.UpdateDefaultAsync(tenant, setting, dryRun, audit, cancellationToken);
}

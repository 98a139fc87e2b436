using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="ISettingsStore"/> with a span per call (<c>navixy.twofactor.store settings.…</c>).</summary>
internal sealed class TracedSettingsStore(ISettingsStore inner) : ISettingsStore, IStoreDecorator
{
    /// <inheritdoc/>
    public object Inner => inner;

    public ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, AuditContext audit, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedUpdateAllAsync(tenant, setting, includeDefault, dryRun, audit, cancellationToken) : inner.UpdateAllAsync(tenant, setting, includeDefault, dryRun, audit, cancellationToken);

    private async ValueTask<SettingsUpdateResult> TracedUpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("settings.update_all");
        try
        {
            return await inner.UpdateAllAsync(tenant, setting, includeDefault, dryRun, audit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedUpdateSelectedAsync(tenant, accountIds, setting, dryRun, audit, cancellationToken) : inner.UpdateSelectedAsync(tenant, accountIds, setting, dryRun, audit, cancellationToken);

    private async ValueTask<SettingsUpdateResult> TracedUpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("settings.update_selected");
        try
        {
            return await inner.UpdateSelectedAsync(tenant, accountIds, setting, dryRun, audit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken) =>
        StoreSpan.Enabled ? TracedUpdateDefaultAsync(tenant, setting, dryRun, audit, cancellationToken) : inner.UpdateDefaultAsync(tenant, setting, dryRun, audit, cancellationToken);

    private async ValueTask<SettingsUpdateResult> TracedUpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("settings.update_default");
        try
        {
            return await inner.UpdateDefaultAsync(tenant, setting, dryRun, audit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.Tracing;

/// <summary><see cref="ISettingsStore"/> with a span per call (<c>navixy.twofactor.store settings.…</c>).</summary>
internal sealed class TracedSettingsStore(ISettingsStore inner) : ISettingsStore
{
    public async ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("settings.update_all");
        try
        {
            return await inner.UpdateAllAsync(tenant, setting, includeDefault, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public async ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("settings.update_selected");
        try
        {
            return await inner.UpdateSelectedAsync(tenant, accountIds, setting, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }

    public async ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, CancellationToken cancellationToken)
    {
        using var span = StoreSpan.Start("settings.update_default");
        try
        {
            return await inner.UpdateDefaultAsync(tenant, setting, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSpan.Failed(span, exception))
        {
            throw;
        }
    }
}

using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Settings;

/// <summary>
/// Settings as hosts get them: <see cref="TwoFactorSettingsService"/> with a span and a duration measurement per update
/// (<see cref="TwoFactorTelemetry.SettingsUpdateSpanName"/>); reads pass straight through.
/// </summary>
internal sealed class TracedSettings(TwoFactorSettingsService inner, TwoFactorMetrics metrics, TimeProvider time) : ITwoFactorSettings
{
    private const string Operation = "settings.update";

    public ValueTask<AccountSettingResult> ReadAsync(TenantId tenant, long accountId, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(tenant, accountId, cancellationToken);

    public ValueTask<TwoFactorSetting?> ReadDefaultAsync(TenantId tenant, CancellationToken cancellationToken = default) =>
        inner.ReadDefaultAsync(tenant, cancellationToken);

    public async ValueTask<SettingsUpdateResult> UpdateAsync(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        using var operation = Start(tenant, target is { IsAll: true } ? "all" : "selected", dryRun);
        return Complete(operation, await TracedAsync(operation, inner.UpdateAsync(tenant, target, setting, dryRun, effectiveFrom, cancellationToken)).ConfigureAwait(false));
    }

    public async ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        using var operation = Start(tenant, "default", dryRun);
        return Complete(operation, await TracedAsync(operation, inner.UpdateDefaultAsync(tenant, setting, dryRun, effectiveFrom, cancellationToken)).ConfigureAwait(false));
    }

    public async ValueTask<SettingsUpdateResult> EnforceForEveryoneAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default)
    {
        using var operation = Start(tenant, "everyone", dryRun);
        return Complete(operation, await TracedAsync(operation, inner.EnforceForEveryoneAsync(tenant, setting, dryRun, effectiveFrom, cancellationToken)).ConfigureAwait(false));
    }

    public ValueTask<IReadOnlyList<ScheduledChange>?> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken = default) =>
        inner.ListScheduledAsync(tenant, cancellationToken);

    public async ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, CancellationToken cancellationToken = default)
    {
        using var operation = Start(tenant, "cancel", dryRun: false);
        return Complete(operation, await TracedAsync(operation, inner.CancelScheduledAsync(tenant, changeId, cancellationToken)).ConfigureAwait(false));
    }

    private static SettingsUpdateResult Complete(TwoFactorOperation operation, SettingsUpdateResult result)
    {
        if (result.IsFailed)
        {
            operation.Complete(TwoFactorEventNames.Error, isError: true);
        }
        else
        {
            operation.Complete(result.Succeeded ? "succeeded" : "rejected");
        }
        return result;
    }

    private static async ValueTask<SettingsUpdateResult> TracedAsync(TwoFactorOperation operation, ValueTask<SettingsUpdateResult> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            operation.Fail(exception);
            throw;
        }
    }

    private TwoFactorOperation Start(TenantId tenant, string scope, bool dryRun)
    {
        var operation = TwoFactorOperation.Start(metrics, time, Operation, TwoFactorTelemetry.SettingsUpdateSpanName, tenant);
        operation.Activity?.SetTag(TwoFactorTelemetry.SettingsScopeTag, scope);
        operation.Activity?.SetTag(TwoFactorTelemetry.DryRunTag, dryRun);
        return operation;
    }
}

using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;

namespace Navixy.TwoFactor.Devices;

/// <summary>
/// Issues, lists and forgets remembered devices (policy.md D1–D3). A device is bound to the settings version stamp the
/// principal's deciding setting had when it was issued, so any later settings change that applies to the principal voids it
/// without touching a device row (update-all stays O(1), S10). Honouring a token at start is the challenge service's.
/// </summary>
internal sealed class TwoFactorRememberedDeviceService(
    IRememberedDeviceStore store,
    ITwoFactorResolver resolver,
    StepUpService stepUp,
    DeviceTokenHasher hasher,
    AuditTrailWriter trail,
    TwoFactorAudit audit,
    TimeProvider time,
    IOptions<TwoFactorOptions> options) : ITwoFactorRememberedDevices
{
    private RememberedDeviceOptions Options => options.Value.RememberedDevices;

    public async ValueTask<RememberDeviceResult> RememberAsync(TenantId tenant, long principalId, string? passedChallengeToken, string? label = null, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        try
        {
            var period = await store.GetRememberPeriodAsync(tenant, cancellationToken).ConfigureAwait(false);
            if (period <= TimeSpan.Zero)
            {
                return new RememberDeviceResult(RememberDeviceOutcome.RememberingOff);
            }

            var requirement = await resolver.ResolveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            if (requirement.Outcome == RequirementOutcome.UnknownPrincipal)
            {
                return new RememberDeviceResult(RememberDeviceOutcome.UnknownPrincipal);
            }

            if (!await stepUp.RedeemAsync(tenant, principalId, passedChallengeToken, FactorTypes.None, cancellationToken).ConfigureAwait(false))
            {
                return new RememberDeviceResult(RememberDeviceOutcome.PassRequired);
            }

            var now = time.GetUtcNow();
            var (token, hash) = hasher.Issue(tenant, principalId);
            var deviceId = DeviceTokenHasher.CreateDeviceId();
            var kept = label is null || label.Length <= Options.MaxLabelLength ? label : label[..Options.MaxLabelLength];
            var device = new RememberedDeviceRecord(tenant, principalId, hash, deviceId, kept, now, null, requirement.Explanation.SettingVersion);
            await store.AddAsync(device, Options.MaxPerPrincipal, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(TwoFactorAuditEventKind.DeviceRemembered, tenant, principalId, now, cancellationToken).ConfigureAwait(false);
            return new RememberDeviceResult(token, deviceId, now + period);
        }
        catch (Exception exception) when (TwoFactorAudit.IsStoreFailure(exception, cancellationToken))
        {
            await audit.StoreFailedAsync(exception, "remember device", tenant, principalId, cancellationToken).ConfigureAwait(false);
            return new RememberDeviceResult(RememberDeviceOutcome.Failed);
        }
    }

    public ValueTask<IReadOnlyList<RememberedDevice>?> ListAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return audit.GuardAsync<IReadOnlyList<RememberedDevice>?>("remembered device list", tenant, principalId, null, ct => ListCoreAsync(tenant, principalId, ct), cancellationToken);
    }

    public async ValueTask<bool?> ForgetAsync(TenantId tenant, long principalId, string deviceId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        return await ForgetCoreAsync(tenant, principalId, deviceId, cancellationToken).ConfigureAwait(false) is { } forgotten ? forgotten > 0 : null;
    }

    public ValueTask<int?> ForgetAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return ForgetCoreAsync(tenant, principalId, null, cancellationToken);
    }

    public ValueTask<TimeSpan?> GetRememberPeriodAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return audit.GuardAsync<TimeSpan?>("remember period read", tenant, null, null, async ct => await store.GetRememberPeriodAsync(tenant, ct).ConfigureAwait(false), cancellationToken);
    }

    public ValueTask<bool?> SetRememberPeriodAsync(TenantId tenant, TimeSpan period, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (period < TimeSpan.Zero || period > RememberedDeviceOptions.MaxRememberPeriod)
        {
            return new(false);
        }

        return audit.GuardAsync<bool?>("remember period update", tenant, null, null, async ct =>
        {
            await store.SetRememberPeriodAsync(tenant, period, trail.Context, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    private async ValueTask<IReadOnlyList<RememberedDevice>?> ListCoreAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        var period = await store.GetRememberPeriodAsync(tenant, cancellationToken).ConfigureAwait(false);
        var devices = await store.ListAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        if (devices.Count == 0)
        {
            return [];
        }

        var requirement = await resolver.ResolveAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return
        [
            .. devices
                .Where(d => RememberedDeviceRule.IsHonoured(d, principalId, requirement.Explanation.SettingVersion, period, now))
                .Select(d => new RememberedDevice(d.DeviceId, d.Label, d.IssuedAt, d.LastUsedAt, d.IssuedAt + period)),
        ];
    }

    private ValueTask<int?> ForgetCoreAsync(TenantId tenant, long principalId, string? deviceId, CancellationToken cancellationToken) =>
        audit.GuardAsync<int?>(deviceId is null ? "forget all devices" : "forget device", tenant, principalId, null, async ct =>
        {
            var context = trail.Context;
            var forgotten = await store.ForgetAsync(tenant, principalId, deviceId, context, ct).ConfigureAwait(false);
            if (forgotten > 0)
            {
                await RaiseAsync(TwoFactorAuditEventKind.DevicesForgotten, tenant, principalId, context.Moment, ct).ConfigureAwait(false);
            }

            return forgotten;
        }, cancellationToken);

    private ValueTask RaiseAsync(TwoFactorAuditEventKind kind, TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken) =>
        audit.RaiseAsync(new TwoFactorAuditEvent { Kind = kind, Tenant = tenant, Timestamp = now, PrincipalId = principalId }, cancellationToken);
}

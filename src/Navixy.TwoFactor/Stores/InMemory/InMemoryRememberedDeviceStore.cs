using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.Devices;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local store of remembered devices: per tenant, under the tenant's lock, a short list per principal
/// (capped) and the remember period. Decides with <see cref="RememberedDeviceRule"/>; appends its audit-trail entries under
/// the same lock (policy.md A2).
/// </summary>
internal sealed class InMemoryRememberedDeviceStore(InMemoryAuditTrail trail) : IRememberedDeviceStore
{
    private readonly ConcurrentDictionary<long, TenantDevices> _tenants = new();

    public ValueTask AddAsync(RememberedDeviceRecord device, int maxPerPrincipal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerPrincipal);
        cancellationToken.ThrowIfCancellationRequested();
        var data = _tenants.GetOrAdd(device.Tenant.Value, static _ => new TenantDevices());
        lock (data)
        {
            if (!data.ByPrincipal.TryGetValue(device.PrincipalId, out var list))
            {
                data.ByPrincipal[device.PrincipalId] = list = [];
            }

            list.Add(device);
            if (list.Count > maxPerPrincipal)
            {
                // Oldest first: the list is in issue order.
                list.RemoveRange(0, list.Count - maxPerPrincipal);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> TryUseAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, long settingStamp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new(false);
        }

        lock (data)
        {
            // The hash is bound to the principal, so only its list can hold it; the rule still checks whose it is.
            if (!data.ByPrincipal.TryGetValue(principalId, out var list))
            {
                return new(false);
            }

            for (var i = 0; i < list.Count; i++)
            {
                var device = list[i];
                if (CryptographicOperations.FixedTimeEquals(device.TokenHash, tokenHash.Span))
                {
                    if (!RememberedDeviceRule.IsHonoured(device, principalId, settingStamp, data.RememberPeriod, now))
                    {
                        return new(false);
                    }

                    list[i] = device with { LastUsedAt = now };
                    return new(true);
                }
            }

            return new(false);
        }
    }

    public ValueTask<IReadOnlyList<RememberedDeviceRecord>> ListAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new([]);
        }

        lock (data)
        {
            return new(data.ByPrincipal.TryGetValue(principalId, out var list) ? list.ToArray() : []);
        }
    }

    public ValueTask<int> ForgetAsync(TenantId tenant, long principalId, string? deviceId, AuditContext? audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new(0);
        }

        lock (data)
        {
            if (!data.ByPrincipal.TryGetValue(principalId, out var list))
            {
                return new(0);
            }

            var forgotten = deviceId is null ? list.Count : list.RemoveAll(d => d.DeviceId == deviceId);
            if (deviceId is null || list.Count == 0)
            {
                data.ByPrincipal.Remove(principalId);
            }

            if (forgotten > 0 && audit is { } context)
            {
                trail.Append(new AuditEntry
                {
                    Tenant = tenant,
                    Moment = context.Moment,
                    Actor = context.Actor,
                    Operation = AuditOperation.DevicesForgotten,
                    PrincipalId = principalId,
                    Detail = deviceId,
                });
            }

            return new(forgotten);
        }
    }

    public ValueTask<int> PurgeExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        var purged = 0;
        foreach (var data in _tenants.Values)
        {
            // One tenant's lock at a time, and never longer than its own devices take.
            lock (data)
            {
                foreach (var (principalId, list) in data.ByPrincipal)
                {
                    if (purged == batchSize)
                    {
                        break;
                    }

                    for (var i = list.Count - 1; i >= 0 && purged < batchSize; i--)
                    {
                        if (RememberedDeviceRule.IsExpired(list[i], data.RememberPeriod, now))
                        {
                            list.RemoveAt(i);
                            purged++;
                        }
                    }

                    if (list.Count == 0)
                    {
                        data.ByPrincipal.Remove(principalId);
                    }
                }
            }

            if (purged == batchSize)
            {
                break;
            }
        }

        return new(purged);
    }

    public ValueTask<TimeSpan> GetRememberPeriodAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new(TimeSpan.Zero);
        }

        lock (data)
        {
            return new(data.RememberPeriod);
        }
    }

    public ValueTask SetRememberPeriodAsync(TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = _tenants.GetOrAdd(tenant.Value, static _ => new TenantDevices());
        lock (data)
        {
            data.RememberPeriod = period;

            // A device this period ends stays ended when the period is raised again later: forget it now, with the change.
            foreach (var (principalId, list) in data.ByPrincipal)
            {
                list.RemoveAll(device => RememberedDeviceRule.IsExpired(device, period, audit.Moment));
                if (list.Count == 0)
                {
                    data.ByPrincipal.Remove(principalId);
                }
            }

            trail.Append(new AuditEntry
            {
                Tenant = tenant,
                Moment = audit.Moment,
                Actor = audit.Actor,
                Operation = AuditOperation.RememberPeriodChanged,
                Detail = period.ToString("c", CultureInfo.InvariantCulture),
            });
        }

        return ValueTask.CompletedTask;
    }

    private sealed class TenantDevices
    {
        public Dictionary<long, List<RememberedDeviceRecord>> ByPrincipal { get; } = [];

        public TimeSpan RememberPeriod { get; set; }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local store of enrolment periods (policy.md G1): per tenant, under the tenant's lock, the period
/// and each principal's start. Decides with <see cref="EnrollmentPeriodRule"/>; appends its audit-trail entries under the
/// same lock (A2).
/// </summary>
internal sealed class InMemoryEnrollmentPeriodStore(InMemoryAuditTrail trail) : IEnrollmentPeriodStore
{
    private readonly ConcurrentDictionary<long, TenantPeriods> _tenants = new();

    public ValueTask<TimeSpan> GetPeriodAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new(TimeSpan.Zero);
        }

        lock (data)
        {
            return new(data.Period);
        }
    }

    public ValueTask SetPeriodAsync(TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = _tenants.GetOrAdd(tenant.Value, static _ => new TenantPeriods());
        lock (data)
        {
            data.Period = period;
            trail.Append(new AuditEntry
            {
                Tenant = tenant,
                Moment = audit.Moment,
                Actor = audit.Actor,
                Operation = AuditOperation.EnrollmentPeriodChanged,
                Detail = period.ToString("c", CultureInfo.InvariantCulture),
            });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<EnrollmentPeriodState> BeginAsync(TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new(default(EnrollmentPeriodState));
        }

        lock (data)
        {
            if (data.Starts.TryGetValue(principalId, out var started))
            {
                return new(new EnrollmentPeriodState(data.Period, started));
            }

            if (!EnrollmentPeriodRule.Starts(data.Period))
            {
                return new(new EnrollmentPeriodState(data.Period, null));
            }

            data.Starts[principalId] = now;
            return new(new EnrollmentPeriodState(data.Period, now));
        }
    }

    public ValueTask<bool> ClearStartAsync(TenantId tenant, long principalId, AuditContext? audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant.Value, out var data))
        {
            return new(false);
        }

        lock (data)
        {
            if (!data.Starts.Remove(principalId))
            {
                return new(false);
            }

            if (audit is { } context)
            {
                trail.Append(new AuditEntry
                {
                    Tenant = tenant,
                    Moment = context.Moment,
                    Actor = context.Actor,
                    Operation = AuditOperation.AdminReset,
                    PrincipalId = principalId,
                    Factor = FactorTypes.Totp,
                });
            }

            return new(true);
        }
    }

    private sealed class TenantPeriods
    {
        public Dictionary<long, DateTimeOffset> Starts { get; } = [];

        public TimeSpan Period { get; set; }
    }
}

using Navixy.TwoFactor.Diagnostics;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// Reads and sets a tenant's enrolment period (policy.md G1), validated by <see cref="EnrollmentPeriodRule"/>, each change
/// with its audit-trail entry in the store's one atomic step. Starting and ending principals' periods is the start's. A
/// store failure answers <see langword="null"/> (<see cref="TwoFactorAudit.GuardAsync"/>).
/// </summary>
internal sealed class TwoFactorEnrollmentPeriodService(IEnrollmentPeriodStore store, AuditTrailWriter trail, TwoFactorAudit audit) : ITwoFactorEnrollmentPeriods
{
    public ValueTask<TimeSpan?> GetPeriodAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return audit.GuardAsync<TimeSpan?>("enrolment period read", tenant, null, null, async ct => await store.GetPeriodAsync(tenant, ct).ConfigureAwait(false), cancellationToken);
    }

    public ValueTask<bool?> SetPeriodAsync(TenantId tenant, TimeSpan period, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (!EnrollmentPeriodRule.IsValidPeriod(period))
        {
            return new(false);
        }

        return audit.GuardAsync<bool?>("enrolment period update", tenant, null, null, async ct =>
        {
            await store.SetPeriodAsync(tenant, period, trail.Context, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}

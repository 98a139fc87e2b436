using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;

namespace Navixy.TwoFactor.Totp;

/// <summary>
/// Reads and sets a tenant's enrolment period (policy.md G1), validated by <see cref="EnrollmentPeriodRule"/>, each change
/// with its audit-trail entry in the store's one atomic step. Starting and ending principals' periods is the start's.
/// </summary>
internal sealed class TwoFactorEnrollmentPeriodService(IEnrollmentPeriodStore store, AuditTrailWriter trail) : ITwoFactorEnrollmentPeriods
{
    public ValueTask<TimeSpan> GetPeriodAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        return store.GetPeriodAsync(tenant, cancellationToken);
    }

    public async ValueTask<bool> SetPeriodAsync(TenantId tenant, TimeSpan period, CancellationToken cancellationToken = default)
    {
        TenantId.ThrowIfInvalid(tenant);
        if (!EnrollmentPeriodRule.IsValidPeriod(period))
        {
            return false;
        }

        await store.SetPeriodAsync(tenant, period, trail.Context, cancellationToken).ConfigureAwait(false);
        return true;
    }
}

using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.EnrollmentPeriods;

/// <summary>
/// Keeps each tenant's enrolment period and, per principal, when its period started (policy.md G1). Every key starts with
/// the tenant. Each call is atomic; a call that takes an <see cref="AuditContext"/> appends its audit-trail entry in the
/// same atomic step (A2). The decisions are <see cref="EnrollmentPeriodRule"/>'s; the store only records.
/// </summary>
public interface IEnrollmentPeriodStore
{
    /// <summary>The tenant's enrolment period; <see cref="TimeSpan.Zero"/> (none) for a tenant that never set one.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<TimeSpan> GetPeriodAsync(TenantId tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the tenant's enrolment period (validated by the caller with <see cref="EnrollmentPeriodRule.IsValidPeriod"/>) and
    /// appends an <see cref="AuditOperation.EnrollmentPeriodChanged"/> entry, atomically. Recorded starts are kept.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">Zero (none) up to <see cref="EnrollmentPeriodRule.MaxPeriod"/>.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask SetPeriodAsync(TenantId tenant, TimeSpan period, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>
    /// Called when a start finds the principal with no authenticator it could pass: reads the tenant's period and, when
    /// <see cref="EnrollmentPeriodRule.Starts"/> says a period runs, records <paramref name="now"/> as the principal's start
    /// unless one is recorded already, in one atomic step. Answers the period and the start on record, so that concurrent
    /// first calls (on any node) answer the same start.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal starting.</param>
    /// <param name="now">The engine's time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<EnrollmentPeriodState> BeginAsync(TenantId tenant, long principalId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the principal's recorded start, so that its next start without an authenticator begins a new period (an
    /// administrator's reset) or nothing of it is left (its removal, C10). Answers whether one was recorded. With
    /// <paramref name="audit"/>, appends an <see cref="AuditOperation.AdminReset"/> entry for the principal when one was
    /// forgotten, in the same atomic step.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="audit">Who and when, when the forgetting is the whole of an administrator's reset; null otherwise.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<bool> ClearStartAsync(TenantId tenant, long principalId, AuditContext? audit, CancellationToken cancellationToken);
}

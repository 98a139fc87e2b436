using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Administration;

/// <summary>
/// Reads a tenant's audit trail and applies its retention (policy.md A3). The host checks that the caller administers
/// <c>tenant</c>; a tenant never sees another's entries.
/// </summary>
public interface ITwoFactorAuditTrail
{
    /// <summary>
    /// Reads one page of the tenant's entries, newest first, filtered by time range and principal; entries older than the
    /// retention (<see cref="AuditTrailOptions.Retention"/>) are never answered. Pass the page's
    /// <see cref="AuditTrailPage.NextCursor"/> in the next query's <see cref="AuditTrailQuery.Cursor"/> for the next page.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="query">Filters and paging; the default query reads the first 100.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A page, <see cref="AuditTrailReadOutcome.InvalidQuery"/>, or <see cref="AuditTrailPage.Failed"/> when a store
    /// failed (logged once; never an exception).</returns>
    ValueTask<AuditTrailPage> ReadAsync(TenantId tenant, AuditTrailQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every tenant's entries older than the retention, in batches of 1,000 until one deletes fewer; answers how
    /// many. Call it periodically, or let the background purge (<c>AddBackgroundPurge()</c>) do it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the purge.</param>
    /// <returns>How many entries were deleted.</returns>
    /// <remarks>
    /// Maintenance, not a request path: a store failure propagates as its exception (entries deleted before it stay deleted),
    /// so that the job running it sees it; the background purge logs it and tries again at its next run.
    /// </remarks>
    ValueTask<long> PurgeAsync(CancellationToken cancellationToken = default);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// Which of a tenant's audit-trail entries to read (policy.md A3): newest first, only those before a sequence (the page
/// after the previous one), in a time range, about one principal. Every filter is optional.
/// </summary>
public sealed record AuditTrailQuery
{
    /// <summary>The smallest page size.</summary>
    public const int MinPageSize = 1;

    /// <summary>The largest page size.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Entries of at most this many per page; between <see cref="MinPageSize"/> and <see cref="MaxPageSize"/>; default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Only entries accepted at or after this moment.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only entries accepted before this moment.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only entries about this principal: as the target of a principal's change, or among the accounts of a selected update.</summary>
    public long? PrincipalId { get; init; }

    /// <summary>The opaque cursor <see cref="AuditTrailPage.NextCursor"/> handed out for the next page; null for the first page.</summary>
    public string? Cursor { get; init; }
}

/// <summary>
/// What a store reads: the query with its cursor decoded and the retention applied.
/// </summary>
/// <param name="Tenant">The tenant; a tenant never sees another's entries.</param>
/// <param name="Limit">At most this many entries.</param>
/// <param name="BeforeSequence">Only entries with a smaller sequence; null for no bound.</param>
/// <param name="From">Only entries at or after this moment (the later of the query's and the retention's bound).</param>
/// <param name="To">Only entries before this moment; null for no bound.</param>
/// <param name="PrincipalId">Only entries about this principal; null for all.</param>
public readonly record struct AuditTrailRead(TenantId Tenant, int Limit, long? BeforeSequence, DateTimeOffset From, DateTimeOffset? To, long? PrincipalId);

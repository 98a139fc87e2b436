using System.Diagnostics.CodeAnalysis;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>How reading the audit trail ended. <c>default</c> is <see cref="Failed"/>.</summary>
public enum AuditTrailReadOutcome
{
    /// <summary>A store failed; nothing was read. Retry.</summary>
    Failed = 0,

    /// <summary>A page was read (possibly empty).</summary>
    Read = 1,

    /// <summary>The query was malformed: a cursor this engine did not hand out, a page size out of range, or an empty time range.</summary>
    InvalidQuery = 2,
}

/// <summary>One page of a tenant's audit trail, newest first (policy.md A3). <c>default</c> is a failure.</summary>
public readonly record struct AuditTrailPage
{
    /// <summary>Creates a read page.</summary>
    /// <param name="entries">The entries, newest first.</param>
    /// <param name="nextCursor">The cursor of the next page, or null when this is the last one.</param>
    public AuditTrailPage(IReadOnlyList<AuditEntry> entries, string? nextCursor)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Outcome = AuditTrailReadOutcome.Read;
        Entries = entries;
        NextCursor = nextCursor;
    }

    private AuditTrailPage(AuditTrailReadOutcome outcome) => Outcome = outcome;

    /// <summary>A malformed query.</summary>
    public static AuditTrailPage InvalidQuery { get; } = new(AuditTrailReadOutcome.InvalidQuery);

    /// <summary>A failed read.</summary>
    public static AuditTrailPage Failed => default;

    /// <summary>How the read ended.</summary>
    public AuditTrailReadOutcome Outcome { get; }

    /// <summary>Whether a page was read.</summary>
    [MemberNotNullWhen(true, nameof(Entries))]
    public bool Succeeded => Outcome == AuditTrailReadOutcome.Read;

    /// <summary>The entries, newest first; null unless <see cref="Succeeded"/>.</summary>
    public IReadOnlyList<AuditEntry>? Entries { get; }

    /// <summary>The opaque cursor of the next page; null on the last page.</summary>
    public string? NextCursor { get; }
}

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// Keeps the audit trail (policy.md A1–A3). A store that changes settings or second-step state writes the entry of each
/// change itself, in the same atomic step (A2); <see cref="AppendAsync"/> is for a change made by a store that cannot.
/// </summary>
public interface IAuditTrailStore
{
    /// <summary>Appends an entry on its own; the store assigns its <see cref="AuditEntry.Sequence"/>.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Reads up to <see cref="AuditTrailRead.Limit"/> of a tenant's entries matching the read, newest (largest sequence) first.</summary>
    /// <param name="read">What to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditTrailRead read, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> entries, of any tenant, accepted before <paramref name="olderThan"/>
    /// (retention); answers how many. A caller repeats it until it answers fewer than <paramref name="batchSize"/>. Each call
    /// is short: a database deletes one bounded batch per statement, holding no lock beyond it.
    /// </summary>
    /// <param name="olderThan">Entries before this moment go.</param>
    /// <param name="batchSize">The most entries this call deletes; at least 1.</param>
    /// <param name="cancellationToken">Cancels the purge.</param>
    ValueTask<int> PurgeAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken);
}

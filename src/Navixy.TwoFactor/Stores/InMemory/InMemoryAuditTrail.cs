using System.Collections.Concurrent;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local audit trail. The in-memory stores append to it under the lock of the change they record, and
/// appending cannot fail, so a change and its entry never part (policy.md A2).
/// </summary>
internal sealed class InMemoryAuditTrail : IAuditTrailStore
{
    private readonly ConcurrentDictionary<long, TenantTrail> _tenants = new();
    private long _sequence;

    public ValueTask AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Append(entry);
        return ValueTask.CompletedTask;
    }

    /// <summary>Appends an entry at once; what the in-memory stores call under their own locks.</summary>
    public void Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var trail = _tenants.GetOrAdd(entry.Tenant.Value, static _ => new TenantTrail());
        lock (trail)
        {
            // Taken under the tenant's lock, so a tenant's list stays in sequence order.
            trail.Entries.Add(entry with { Sequence = Interlocked.Increment(ref _sequence) });
        }
    }

    public ValueTask<IReadOnlyList<AuditEntry>> ReadAsync(AuditTrailRead read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(read.Tenant.Value, out var trail))
        {
            return new([]);
        }

        var page = new List<AuditEntry>(Math.Min(read.Limit, 64));
        lock (trail)
        {
            for (var i = trail.Entries.Count - 1; i >= 0 && page.Count < read.Limit; i--)
            {
                var entry = trail.Entries[i];
                if (Matches(entry, read))
                {
                    page.Add(entry);
                }
            }
        }

        return new(page);
    }

    public ValueTask<int> PurgeAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        cancellationToken.ThrowIfCancellationRequested();
        var removed = 0;
        foreach (var trail in _tenants.Values)
        {
            lock (trail)
            {
                // One pass that keeps the rest in place (oldest purged first): removing one by one from a list would
                // move every later entry each time.
                var entries = trail.Entries;
                var kept = 0;
                for (var i = 0; i < entries.Count; i++)
                {
                    var entry = entries[i];
                    if (removed < batchSize && entry.Moment < olderThan)
                    {
                        removed++;
                        continue;
                    }

                    entries[kept++] = entry;
                }

                entries.RemoveRange(kept, entries.Count - kept);
            }

            if (removed == batchSize)
            {
                break;
            }
        }

        return new(removed);
    }

    /// <summary>The filter of <see cref="AuditTrailRead"/>; the PostgreSQL store's WHERE clause says the same.</summary>
    private static bool Matches(AuditEntry entry, in AuditTrailRead read) =>
        (read.BeforeSequence is not { } before || entry.Sequence < before)
        && entry.Moment >= read.From
        && (read.To is not { } to || entry.Moment < to)
        && (read.PrincipalId is not { } principal || entry.PrincipalId == principal || entry.AccountIds.Contains(principal));

    private sealed class TenantTrail
    {
        public List<AuditEntry> Entries { get; } = [];
    }
}

using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores;

namespace Navixy.TwoFactor.Tests.Stores;

/// <summary>
/// The thin record store as a database with compare-and-swap would offer it: two dictionaries under one lock, storing
/// and comparing, deciding nothing. Shared by every engine of a fixture, as two nodes share one database.
/// </summary>
public sealed class DictionaryChallengeRecordStore : IChallengeRecordStore
{
    private readonly object _gate = new();
    private readonly Dictionary<PrincipalRecordKey, VersionedPrincipalRecord> _principals = [];
    private readonly Dictionary<(TenantId Tenant, string Token), long> _tokens = [];

    /// <summary>Records held (for tests of the per-principal bound).</summary>
    public int PrincipalCount
    {
        get
        {
            lock (_gate)
            {
                return _principals.Count;
            }
        }
    }

    /// <summary>Token index entries held.</summary>
    public int TokenCount
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count;
            }
        }
    }

    public ValueTask<VersionedPrincipalRecord?> GetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_principals.TryGetValue(new(tenant, principalId), out var stored) ? stored : null);
        }
    }

    public ValueTask<bool> TryInsertPrincipalAsync(TenantId tenant, long principalId, PrincipalChallengesRecord record, long version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_principals.TryAdd(new(tenant, principalId), new(record, version)));
        }
    }

    public ValueTask<bool> TryReplacePrincipalAsync(TenantId tenant, long principalId, long expectedVersion, PrincipalChallengesRecord record, long newVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = new PrincipalRecordKey(tenant, principalId);
            var swapped = _principals.TryGetValue(key, out var stored) && stored.Version == expectedVersion;
            if (swapped)
            {
                _principals[key] = new(record, newVersion);
            }

            return new(swapped);
        }
    }

    public ValueTask<bool> TryDeletePrincipalAsync(TenantId tenant, long principalId, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = new PrincipalRecordKey(tenant, principalId);
            return new(_principals.TryGetValue(key, out var stored) && stored.Version == expectedVersion && _principals.Remove(key));
        }
    }

    public ValueTask<IReadOnlyList<PrincipalRecordKey>> FindPrincipalsWithEndedChallengesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PrincipalRecordKey> due = [.. _principals.Where(p => p.Value.Record.NextEndAt <= now).Select(p => p.Key).Take(limit)];
            return new(due);
        }
    }

    public ValueTask<long?> FindTokenAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_tokens.TryGetValue((tenant, Convert.ToHexString(tokenHash.Span)), out var principalId) ? principalId : null);
        }
    }

    public ValueTask<bool> TryInsertTokenAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_tokens.TryAdd((tenant, Convert.ToHexString(tokenHash.Span)), principalId));
        }
    }

    public ValueTask<bool> DeleteTokenAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_tokens.Remove((tenant, Convert.ToHexString(tokenHash.Span))));
        }
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>Thread-safe in-memory enrolments and recovery codes; each principal's entry is updated under its own lock.</summary>
internal sealed class InMemoryTotpStore : ITotpEnrollmentStore, IRecoveryCodeStore, ITotpSecretRewrapStore
{
    private readonly ConcurrentDictionary<(TenantId Tenant, long Principal), TotpEnrollmentRecord> _enrollments = new();
    private readonly ConcurrentDictionary<(TenantId Tenant, long Principal), RecoverySet> _recovery = new();

    public ValueTask<TotpEnrollmentRecord?> GetAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_enrollments.GetValueOrDefault((tenant, principalId)));
    }

    public ValueTask SavePendingAsync(TenantId tenant, long principalId, byte[] protectedSecret, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protectedSecret);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = (byte[])protectedSecret.Clone();
        _enrollments.AddOrUpdate(
            (tenant, principalId),
            static (_, state) => new TotpEnrollmentRecord(null, long.MinValue, state.pending, state.expiresAt),
            static (_, old, state) => old with { PendingSecret = state.pending, PendingExpiresAt = state.expiresAt },
            (pending, expiresAt));
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> ActivatePendingAsync(TenantId tenant, long principalId, byte[] expectedPendingSecret, long acceptedStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedPendingSecret);
        cancellationToken.ThrowIfCancellationRequested();
        var key = (tenant, principalId);
        while (_enrollments.TryGetValue(key, out var current))
        {
            if (current.PendingSecret is null || now >= current.PendingExpiresAt || !CryptographicOperations.FixedTimeEquals(current.PendingSecret, expectedPendingSecret))
            {
                return new(false);
            }

            var activated = new TotpEnrollmentRecord(current.PendingSecret, acceptedStep, null, default);
            if (_enrollments.TryUpdate(key, activated, current))
            {
                return new(true);
            }
        }

        return new(false);
    }

    public ValueTask<bool> TryAdvanceStepAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, long matchedStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedActiveSecret);
        cancellationToken.ThrowIfCancellationRequested();
        var key = (tenant, principalId);
        while (_enrollments.TryGetValue(key, out var current))
        {
            if (current.ActiveSecret is null || matchedStep <= current.LastAcceptedStep || !CryptographicOperations.FixedTimeEquals(current.ActiveSecret, expectedActiveSecret))
            {
                return new(false);
            }

            if (_enrollments.TryUpdate(key, current with { LastAcceptedStep = matchedStep }, current))
            {
                return new(true);
            }
        }

        return new(false);
    }

    public ValueTask<bool> DeleteAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_enrollments.TryRemove((tenant, principalId), out _));
    }

    public ValueTask<IReadOnlyList<TotpActiveSecret>> ListActiveSecretsAsync(TenantId? tenant, TotpActiveSecret? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var from = after is null ? (Tenant: long.MinValue, Principal: long.MinValue) : (Tenant: after.Tenant.Value, Principal: after.PrincipalId);
        IReadOnlyList<TotpActiveSecret> page = _enrollments
            .Where(e => e.Value.ActiveSecret is not null
                && (tenant is null || e.Key.Tenant == tenant.Value)
                && (e.Key.Tenant.Value, e.Key.Principal).CompareTo(from) > 0)
            .OrderBy(e => e.Key.Tenant.Value).ThenBy(e => e.Key.Principal)
            .Take(limit)
            .Select(e => new TotpActiveSecret(e.Key.Tenant, e.Key.Principal, e.Value.ActiveSecret!))
            .ToArray();
        return new(page);
    }

    public ValueTask<bool> TryReplaceActiveSecretAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, byte[] replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expectedActiveSecret);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        var key = (tenant, principalId);
        var stored = (byte[])replacement.Clone();
        while (_enrollments.TryGetValue(key, out var current))
        {
            if (current.ActiveSecret is null || !current.ActiveSecret.AsSpan().SequenceEqual(expectedActiveSecret))
            {
                return new(false);
            }

            if (_enrollments.TryUpdate(key, current with { ActiveSecret = stored }, current))
            {
                return new(true);
            }
        }

        return new(false);
    }

    public ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        cancellationToken.ThrowIfCancellationRequested();
        _recovery[(tenant, principalId)] = new RecoverySet(codes);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_recovery.TryGetValue((tenant, principalId), out var set) ? set.Find(lookupId, used: false) : []);
    }

    public ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_recovery.TryGetValue((tenant, principalId), out var set) ? set.Find(lookupId, used: true) : []);
    }

    public ValueTask<bool> TryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        cancellationToken.ThrowIfCancellationRequested();
        return new(_recovery.TryGetValue((tenant, principalId), out var set) && set.TryMarkUsed(code));
    }

    public ValueTask<int> CountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_recovery.TryGetValue((tenant, principalId), out var set) ? set.CountUnused() : 0);
    }

    public ValueTask<int> DeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_recovery.TryRemove((tenant, principalId), out var set) ? set.Count : 0);
    }

    /// <summary>One principal's codes; a code is identified by its lookup id and hash, as a database row would be.</summary>
    private sealed class RecoverySet(IReadOnlyList<RecoveryCodeHash> codes)
    {
        private readonly object _gate = new();
        private readonly RecoveryCodeHash[] _codes = [.. codes];
        private readonly bool[] _used = new bool[codes.Count];

        public int Count => _codes.Length;

        public RecoveryCodeHash[] Find(string lookupId, bool used)
        {
            lock (_gate)
            {
                return _codes.Where((c, i) => _used[i] == used && c.LookupId == lookupId).ToArray();
            }
        }

        public bool TryMarkUsed(RecoveryCodeHash code)
        {
            lock (_gate)
            {
                for (var i = 0; i < _codes.Length; i++)
                {
                    if (!_used[i] && _codes[i].LookupId == code.LookupId && _codes[i].Hash.AsSpan().SequenceEqual(code.Hash))
                    {
                        _used[i] = true;
                        return true;
                    }
                }

                return false;
            }
        }

        public int CountUnused()
        {
            lock (_gate)
            {
                return _used.Count(used => !used);
            }
        }
    }
}

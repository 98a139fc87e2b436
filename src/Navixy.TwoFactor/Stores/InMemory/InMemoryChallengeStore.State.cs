using System.Buffers.Binary;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>The in-memory challenge store's entries, locking and cleanup.</summary>
internal sealed partial class InMemoryChallengeStore : IPrincipalLockoutReader
{
    public async ValueTask<PrincipalLockState> GetPrincipalStateAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = new PrincipalKey(tenant, principalId);
        if (!_principals.ContainsKey(key))
        {
            return default;
        }

        var entry = await AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return entry.State;
        }
        finally
        {
            Release(key, entry);
        }
    }

    /// <summary>Takes the principal's lock, making its entry if needed; retries when the entry was just retired.</summary>
    private async ValueTask<PrincipalEntry> AcquireAsync(PrincipalKey key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entry = _principals.GetOrAdd(key, static _ => new PrincipalEntry());
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!entry.Removed)
            {
                return entry;
            }

            entry.Gate.Release();
        }
    }

    /// <summary>
    /// Retires an entry with nothing to remember (no failures, no lockout, no challenge held; the last send only matters
    /// while one of its challenges lives), so memory is bounded by principals with something to keep, then unlocks.
    /// </summary>
    private void Release(PrincipalKey key, PrincipalEntry entry)
    {
        try
        {
            if (entry.State.IsEmpty && entry.Held.Count == 0)
            {
                entry.Removed = true;
                _principals.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Withdraws a challenge: any operation holding a reference sees it gone. Caller holds the principal's lock.</summary>
    private void Withdraw(PrincipalEntry entry, Challenge challenge)
    {
        challenge.Revoked = true;
        entry.Held.Remove(challenge);
        _challenges.TryRemove(KeyValuePair.Create(challenge.Key, challenge));
    }

    /// <summary>
    /// Revokes the principal's oldest open challenges (not consumed, not ended) so that one more fits under the cap.
    /// Caller holds the principal's lock. <see cref="PrincipalEntry.Held"/> is in creation order.
    /// </summary>
    private void RevokeOldestOpen(PrincipalEntry entry, DateTimeOffset now, ChallengeLimits limits)
    {
        var open = 0;
        foreach (var held in entry.Held)
        {
            if (IsOpen(held, now))
            {
                open++;
            }
        }

        var revoke = SecondStepRules.OpenChallengesToRevoke(open, limits);
        for (var i = 0; i < entry.Held.Count && revoke > 0;)
        {
            var held = entry.Held[i];
            if (IsOpen(held, now))
            {
                Withdraw(entry, held);
                revoke--;
            }
            else
            {
                i++;
            }
        }

        static bool IsOpen(Challenge challenge, DateTimeOffset now) => !challenge.State.IsConsumed && now < challenge.State.ExpiresAt;
    }

    /// <summary>Queues a new challenge for cleanup and removes up to <paramref name="max"/> ended ones from the store and their principals.</summary>
    private async ValueTask<int> CleanUpAsync(Challenge? added, DateTimeOffset now, int max)
    {
        List<Challenge>? ended = null;
        lock (_cleanupGate)
        {
            if (added is not null)
            {
                _byExpiry.Enqueue(added, added.State.ExpiresAt);
            }

            // Entries already withdrawn are dequeued without counting; each is dequeued once, so the cost stays amortised O(1).
            while ((ended?.Count ?? 0) < max && _byExpiry.TryPeek(out var head, out var expiresAt) && expiresAt <= now)
            {
                _byExpiry.Dequeue();
                if (_challenges.TryRemove(KeyValuePair.Create(head.Key, head)))
                {
                    (ended ??= []).Add(head);
                }
            }
        }

        if (ended is null)
        {
            return 0;
        }

        // Outside the cleanup gate: a create holds a principal's lock and then takes the gate, never the reverse.
        foreach (var challenge in ended)
        {
            var entry = await AcquireAsync(challenge.Principal, CancellationToken.None).ConfigureAwait(false);
            try
            {
                challenge.Revoked = true;
                entry.Held.Remove(challenge);
            }
            finally
            {
                Release(challenge.Principal, entry);
            }
        }

        return ended.Count;
    }

    private static ReadOnlySpan<byte> CheckHash(ReadOnlySpan<byte> hash, string paramName) =>
        hash.Length == IChallengeStore.HashLength
            ? hash
            : throw new ArgumentException($"Hashes and digests are {IChallengeStore.HashLength} bytes.", paramName);

    private readonly record struct ChallengeKey(TenantId Tenant, ulong H0, ulong H1, ulong H2, ulong H3)
    {
        public static ChallengeKey From(TenantId tenant, ReadOnlySpan<byte> hash)
        {
            TenantId.ThrowIfInvalid(tenant);
            return new(
                tenant,
                BinaryPrimitives.ReadUInt64LittleEndian(hash),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
        }
    }

    private readonly record struct PrincipalKey(TenantId Tenant, long PrincipalId);

    /// <summary>A principal's state and the challenges it holds; guarded by its own gate.</summary>
    private sealed class PrincipalEntry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public PrincipalLockState State { get; set; }

        /// <summary>Its challenges not yet removed, oldest first (at most the open cap plus passed and ended ones).</summary>
        public List<Challenge> Held { get; } = [];

        /// <summary>Retired from the dictionary; a caller that locked it must fetch a fresh one.</summary>
        public bool Removed { get; set; }
    }

    /// <summary>One challenge. Mutable members are guarded by its principal's gate.</summary>
    private sealed class Challenge(ChallengeKey key, PrincipalKey principal, byte[] digest, ChallengeState state)
    {
        public ChallengeKey Key { get; } = key;

        public PrincipalKey Principal { get; } = principal;

        public byte[] Digest { get; set; } = digest;

        public ChallengeState State { get; set; } = state;

        public bool Revoked { get; set; }
    }
}

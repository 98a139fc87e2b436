using System.Buffers.Binary;
using System.Security.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>The adapter's read → decide → compare-and-swap loops.</summary>
public sealed partial class RuleBasedChallengeStore
{
    private async ValueTask<ChallengeStoreResult> CreateCoreAsync(NewChallenge challenge, byte[] token, byte[] digest, ChallengeLimits limits, CancellationToken cancellationToken)
    {
        var (tenant, principalId, now) = (challenge.Tenant, challenge.PrincipalId, challenge.CreatedAt);

        // The index entry comes first, so that a challenge in a record is always reachable by its token.
        if (!await _records.TryInsertTokenAsync(tenant, token, principalId, challenge.ExpiresAt, cancellationToken).ConfigureAwait(false))
        {
            // 256-bit random tokens do not collide; a duplicate means the caller reused a token hash.
            throw new InvalidOperationException("A challenge with this token hash already exists.");
        }

        var created = false;
        try
        {
            while (true)
            {
                var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
                var record = stored?.Record ?? PrincipalChallengesRecord.Empty;
                var decided = SecondStepRules.Create(challenge, record.Principal, limits);
                if (decided.Result.Outcome != ChallengeStoreOutcome.Created)
                {
                    return decided.Result;
                }

                var (kept, dropped) = MakeRoom(record.Challenges, now, limits);
                kept.Add(new ChallengeRecord(token, digest, decided.Challenge));
                var next = new PrincipalChallengesRecord(decided.Principal, kept);
                if (await TryWriteAsync(tenant, principalId, stored, next, cancellationToken).ConfigureAwait(false))
                {
                    created = true;
                    await DeleteTokensAsync(tenant, dropped).ConfigureAwait(false);
                    return ChallengeStoreResult.Created;
                }
            }
        }
        finally
        {
            if (!created)
            {
                await _records.DeleteTokenAsync(tenant, token, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Drops the ended challenges and revokes the oldest open ones so that one more fits under
    /// <see cref="ChallengeLimits.MaxOpenChallenges"/> (policy.md C9); answers what stays, oldest first, and what went.
    /// </summary>
    private static (List<ChallengeRecord> Kept, List<ChallengeRecord> Dropped) MakeRoom(IReadOnlyList<ChallengeRecord> challenges, DateTimeOffset now, ChallengeLimits limits)
    {
        var kept = new List<ChallengeRecord>(challenges.Count + 1);
        var dropped = new List<ChallengeRecord>();
        var open = 0;
        foreach (var challenge in challenges)
        {
            if (now >= challenge.State.ExpiresAt)
            {
                dropped.Add(challenge);
                continue;
            }

            kept.Add(challenge);
            open += challenge.State.IsConsumed ? 0 : 1;
        }

        var revoke = SecondStepRules.OpenChallengesToRevoke(open, limits);
        for (var i = 0; i < kept.Count && revoke > 0;)
        {
            if (kept[i].State.IsConsumed)
            {
                i++;
                continue;
            }

            dropped.Add(kept[i]);
            kept.RemoveAt(i);
            revoke--;
        }

        return (kept, dropped);
    }

    private async ValueTask<ChallengeStoreResult> SettleCoreAsync(TenantId tenant, byte[] token, ChallengeSettlement settlement, DateTimeOffset now, ChallengeLimits limits)
    {
        // Not cancellable once started: the reservation must be released, and a spent proof must reach its pass.
        var cancellationToken = CancellationToken.None;
        if (await _records.FindTokenAsync(tenant, token, cancellationToken).ConfigureAwait(false) is not { } principalId)
        {
            return ChallengeStoreResult.NotFound;
        }

        bool? spent = settlement.Kind == ChallengeSettlementKind.Pass ? true : null;
        while (true)
        {
            var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            var index = stored is { } found ? IndexOf(found.Record, token) : -1;
            if (index < 0)
            {
                return ChallengeStoreResult.NotFound;
            }

            var record = stored!.Value.Record;
            var challenge = record.Challenges[index];

            // The proof is spent at most once per settlement, on the first read that finds the challenge not consumed;
            // later reads only retry the swap. The spend is conditional, so of copies of one proof only one spends it.
            spent ??= SecondStepRules.MaySpendProof(challenge.State, settlement.Kind)
                && await SpendAsync(tenant, principalId, settlement).ConfigureAwait(false);
            var decided = SecondStepRules.Settle(challenge.State, record.Principal, settlement.Kind, spent.Value, now, limits);
            if (await TryApplyAsync(tenant, principalId, stored.Value, index, decided, replacementDigest: null, cancellationToken).ConfigureAwait(false))
            {
                return decided.Result;
            }
        }
    }

    /// <summary>Spends the proof of a pass in the authenticator stores (conditional updates): the time step, or the recovery code.</summary>
    private async ValueTask<bool> SpendAsync(TenantId tenant, long principalId, ChallengeSettlement settlement) => settlement.Kind switch
    {
        ChallengeSettlementKind.PassWithTimeStep =>
            await _enrollments.TryAdvanceStepAsync(tenant, principalId, settlement.ActiveSecret!, settlement.TimeStep, CancellationToken.None).ConfigureAwait(false),
        ChallengeSettlementKind.PassWithRecoveryCode =>
            await _recoveryCodes.TryMarkUsedAsync(tenant, principalId, settlement.RecoveryCode!, CancellationToken.None).ConfigureAwait(false),
        _ => false,
    };

    /// <summary>
    /// Finds a challenge by its token, reads its principal's record, decides with <paramref name="decide"/> and swaps the
    /// record; reads and decides again when the swap loses. A decision that changes nothing writes nothing.
    /// </summary>
    private async ValueTask<ChallengeStoreResult> ApplyAsync(
        TenantId tenant,
        ReadOnlyMemory<byte> tokenHash,
        Func<ChallengeRecord, PrincipalLockState, ChallengeTransition> decide,
        byte[]? replacementDigest,
        CancellationToken cancellationToken)
    {
        if (await _records.FindTokenAsync(tenant, tokenHash, cancellationToken).ConfigureAwait(false) is not { } principalId)
        {
            return ChallengeStoreResult.NotFound;
        }

        while (true)
        {
            var stored = await _records.GetPrincipalAsync(tenant, principalId, cancellationToken).ConfigureAwait(false);
            var index = stored is { } found ? IndexOf(found.Record, tokenHash.Span) : -1;
            if (index < 0)
            {
                return ChallengeStoreResult.NotFound;
            }

            var record = stored!.Value.Record;
            var decided = decide(record.Challenges[index], record.Principal);
            if (await TryApplyAsync(tenant, principalId, stored.Value, index, decided, replacementDigest, cancellationToken).ConfigureAwait(false))
            {
                return decided.Result;
            }
        }
    }

    /// <summary>Writes one decision back (nothing when it changes nothing); false when the swap lost.</summary>
    private ValueTask<bool> TryApplyAsync(TenantId tenant, long principalId, VersionedPrincipalRecord stored, int index, ChallengeTransition decided, byte[]? replacementDigest, CancellationToken cancellationToken)
    {
        var record = stored.Record;
        var challenge = record.Challenges[index];
        var digest = replacementDigest is not null && decided.Result.Outcome == ChallengeStoreOutcome.CodeReplaced ? replacementDigest : challenge.CodeDigest;
        if (decided.Challenge == challenge.State && decided.Principal == record.Principal && ReferenceEquals(digest, challenge.CodeDigest))
        {
            return new(true);
        }

        var challenges = record.Challenges.ToArray();
        challenges[index] = challenge with { CodeDigest = digest, State = decided.Challenge };
        return TryWriteAsync(tenant, principalId, stored, new PrincipalChallengesRecord(decided.Principal, challenges), cancellationToken);
    }

    /// <summary>
    /// Writes a principal's record: insert when none was read, compare-and-swap otherwise; a record with nothing to keep is
    /// deleted (or not inserted), as the in-memory store retires such entries. False when another writer won.
    /// </summary>
    private ValueTask<bool> TryWriteAsync(TenantId tenant, long principalId, VersionedPrincipalRecord? stored, PrincipalChallengesRecord next, CancellationToken cancellationToken)
    {
        if (stored is { } current)
        {
            return next.IsEmpty
                ? _records.TryDeletePrincipalAsync(tenant, principalId, current.Version, cancellationToken)
                : _records.TryReplacePrincipalAsync(tenant, principalId, current.Version, next, NewVersion(), cancellationToken);
        }

        return next.IsEmpty ? new(true) : _records.TryInsertPrincipalAsync(tenant, principalId, next, NewVersion(), cancellationToken);
    }

    /// <summary>Removes up to <paramref name="max"/> ended challenges from one principal's record; answers how many.</summary>
    private async ValueTask<int> PurgePrincipalAsync(PrincipalRecordKey key, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await _records.GetPrincipalAsync(key.Tenant, key.PrincipalId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                return 0;
            }

            var kept = new List<ChallengeRecord>(stored.Record.Challenges.Count);
            var ended = new List<ChallengeRecord>();
            foreach (var challenge in stored.Record.Challenges)
            {
                (ended.Count < max && challenge.State.ExpiresAt <= now ? ended : kept).Add(challenge);
            }

            if (ended.Count == 0)
            {
                return 0;
            }

            var next = stored.Record with { Challenges = kept };
            if (await TryWriteAsync(key.Tenant, key.PrincipalId, stored, next, cancellationToken).ConfigureAwait(false))
            {
                await DeleteTokensAsync(key.Tenant, ended).ConfigureAwait(false);
                return ended.Count;
            }
        }
    }

    /// <summary>Deletes the index entries of challenges already removed from their record (not cancellable: it only tidies).</summary>
    private async ValueTask DeleteTokensAsync(TenantId tenant, IReadOnlyList<ChallengeRecord> removed)
    {
        foreach (var challenge in removed)
        {
            await _records.DeleteTokenAsync(tenant, challenge.TokenHash, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static int IndexOf(PrincipalChallengesRecord record, ReadOnlySpan<byte> tokenHash)
    {
        for (var i = 0; i < record.Challenges.Count; i++)
        {
            if (tokenHash.SequenceEqual(record.Challenges[i].TokenHash))
            {
                return i;
            }
        }

        return -1;
    }

    private static ChallengeRecord[] Without(IReadOnlyList<ChallengeRecord> challenges, int index)
    {
        var rest = new ChallengeRecord[challenges.Count - 1];
        for (int i = 0, j = 0; i < challenges.Count; i++)
        {
            if (i != index)
            {
                rest[j++] = challenges[i];
            }
        }

        return rest;
    }

    /// <summary>A fresh random version: never comes back for a key, even after a delete and a new insert (no ABA).</summary>
    private static long NewVersion()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    private static void CheckKey(TenantId tenant, ReadOnlyMemory<byte> tokenHash)
    {
        TenantId.ThrowIfInvalid(tenant);
        CheckHash(tokenHash, nameof(tokenHash));
    }

    private static ReadOnlySpan<byte> CheckHash(ReadOnlyMemory<byte> hash, string paramName) =>
        hash.Length == IChallengeStore.HashLength
            ? hash.Span
            : throw new ArgumentException($"Hashes and digests are {IChallengeStore.HashLength} bytes.", paramName);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// The thin path to a challenge store: a database that offers get, insert, compare-and-swap and delete of a keyed record
/// implements this, and <see cref="RuleBasedChallengeStore"/> turns it into a full <see cref="IChallengeStore"/> by
/// deciding everything with <see cref="SecondStepRules"/>. Optional: a store that can run the rules in one statement
/// implements <see cref="IChallengeStore"/> directly.
/// </summary>
/// <remarks>
/// <para>Two kinds of record, both keyed by the tenant:</para>
/// <list type="bullet">
/// <item><description>one <see cref="PrincipalChallengesRecord"/> per (tenant, principal): the principal's failure count,
/// lockout and last send with all its live challenges. Every rule decides from a challenge and its principal together,
/// and a create must see the principal's open challenges (policy.md C9), so one compare-and-swap of this record makes
/// every decision atomic;</description></item>
/// <item><description>one token index entry per challenge: (tenant, token hash) → principal. Inserted once before the
/// challenge is added to its principal record, deleted after it is removed from it. An entry whose principal record no
/// longer holds the token is harmless (the challenge answers not found); a process that stops between the two writes can
/// leave one behind, so a store may drop an entry on its own once its <c>expiresAt</c> has passed (a TTL).</description></item>
/// </list>
/// <para>Each method is one atomic operation on one record and must stay correct when several engine instances call it at
/// once; nothing else is asked of the store: it never decides, never reads a clock and never interprets a record beyond
/// storing it (and, for <see cref="FindPrincipalsWithEndedChallengesAsync"/>, its <see cref="PrincipalChallengesRecord.NextEndAt"/>).</para>
/// <para>Versions are opaque 64-bit values chosen by the writer (random, so a version never comes back for a key, even
/// after a delete and a new insert); the store keeps the version with the record and compares it on a swap or a delete.
/// Records and their lists are handed over immutable: a store may keep the instances or serialise them.</para>
/// </remarks>
public interface IChallengeRecordStore
{
    /// <summary>Reads a principal's record with its version; <see langword="null"/> when there is none.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<VersionedPrincipalRecord?> GetPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>Inserts a principal's record with <paramref name="version"/>, only if there is none (insert-if-absent).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="record">The record.</param>
    /// <param name="version">Its version.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was inserted (false: a record exists, someone else wrote first).</returns>
    ValueTask<bool> TryInsertPrincipalAsync(TenantId tenant, long principalId, PrincipalChallengesRecord record, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a principal's record and its version, only if its version is still <paramref name="expectedVersion"/>
    /// (compare-and-swap: <c>UPDATE … SET record = @record, version = @new WHERE key = @key AND version = @expected</c>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="record">The new record.</param>
    /// <param name="newVersion">The new version.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was replaced (false: the record changed or was deleted since it was read).</returns>
    ValueTask<bool> TryReplacePrincipalAsync(TenantId tenant, long principalId, long expectedVersion, PrincipalChallengesRecord record, long newVersion, CancellationToken cancellationToken);

    /// <summary>Deletes a principal's record, only if its version is still <paramref name="expectedVersion"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedVersion">The version read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was deleted (false: the record changed or was deleted since it was read).</returns>
    ValueTask<bool> TryDeletePrincipalAsync(TenantId tenant, long principalId, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> principals, in any tenant and any order, whose record's
    /// <see cref="PrincipalChallengesRecord.NextEndAt"/> is at or before <paramref name="now"/> (they hold an ended
    /// challenge). Used only by <see cref="IChallengeStore.PurgeExpiredAsync"/>; the answer may be slightly stale, since the
    /// adapter re-reads each record before it changes it.
    /// </summary>
    /// <param name="now">The engine's time.</param>
    /// <param name="limit">The most keys to answer; positive.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<PrincipalRecordKey>> FindPrincipalsWithEndedChallengesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Looks up whose challenge a token hash names; <see langword="null"/> when the index has no entry.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<long?> FindTokenAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken);

    /// <summary>Inserts a token index entry, only if the (tenant, token hash) has none (insert-if-absent).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash; copy it if you keep it.</param>
    /// <param name="principalId">The principal whose record will hold the challenge.</param>
    /// <param name="expiresAt">When the challenge ends; from then on the store may drop the entry by itself.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was inserted (false: the token hash is already in use).</returns>
    ValueTask<bool> TryInsertTokenAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, long principalId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes a token index entry, if there is one.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="tokenHash">The token's keyed hash.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was one.</returns>
    ValueTask<bool> DeleteTokenAsync(TenantId tenant, ReadOnlyMemory<byte> tokenHash, CancellationToken cancellationToken);
}

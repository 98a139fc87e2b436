using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Keeps a principal's recovery codes, stored only as salted slow hashes (<see cref="RecoveryCodeHash"/>): one row per code
/// with the tenant, the principal, the non-secret lookup id, the salt, the hash, the iteration count and a used flag.
/// </summary>
/// <remarks>
/// Every key includes the tenant. Every method is one atomic operation (one statement or one transaction for a database);
/// <see cref="TryMarkUsedAsync"/> is a conditional update, so that of concurrent redemptions of one code, also from several
/// engine instances, exactly one succeeds. The store never sees a plain code and never hashes anything itself.
/// </remarks>
public interface IRecoveryCodeStore
{
    /// <summary>
    /// Replaces the principal's whole set in one atomic step (delete and insert in one transaction): no reader ever sees a mix
    /// of old and new codes, and every old code, used or not, stops working.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="codes">The new hashed codes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken);

    /// <summary>The principal's unused codes with this lookup id (normally at most one); changes nothing.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="lookupId">The first group of the presented code.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken);

    /// <summary>
    /// The principal's used codes with this lookup id; changes nothing. The engine reads them only when no unused code
    /// matched, so that a copy of a code already redeemed answers already used instead of counting as a wrong code
    /// (policy.md C5).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="lookupId">The first group of the presented code.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUsedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a code used if it is still unused and still in the principal's current set, identified by lookup id and hash
    /// (<c>UPDATE … SET used = true WHERE … AND lookup_id = @id AND hash = @hash AND NOT used</c>). Of concurrent redemptions of
    /// one code exactly one succeeds.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="code">The stored code that matched.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether this call used the code.</returns>
    ValueTask<bool> TryMarkUsedAsync(TenantId tenant, long principalId, RecoveryCodeHash code, CancellationToken cancellationToken);

    /// <summary>How many unused codes the principal has.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<int> CountUnusedAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>Removes all of the principal's codes.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many were removed.</returns>
    ValueTask<int> DeleteAllAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);
}

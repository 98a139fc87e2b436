using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Stores;

/// <summary>Keeps a principal's recovery codes, stored only as salted slow hashes. Every key includes the tenant.</summary>
public interface IRecoveryCodeStore
{
    /// <summary>Replaces the principal's whole set (regenerating voids the old codes).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="codes">The new hashed codes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask ReplaceAsync(TenantId tenant, long principalId, IReadOnlyList<RecoveryCodeHash> codes, CancellationToken cancellationToken);

    /// <summary>The unused codes with this lookup id (normally at most one).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="lookupId">The first group of the presented code.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<RecoveryCodeHash>> FindUnusedAsync(TenantId tenant, long principalId, string lookupId, CancellationToken cancellationToken);

    /// <summary>Marks a code used if it is still unused; of concurrent redemptions of one code exactly one succeeds.</summary>
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

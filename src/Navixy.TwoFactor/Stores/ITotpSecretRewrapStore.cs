using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>A principal's protected active authenticator secret, as a key re-wrap reads it.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="PrincipalId">The principal.</param>
/// <param name="ProtectedSecret">The protected active secret.</param>
public sealed record TotpActiveSecret(TenantId Tenant, long PrincipalId, byte[] ProtectedSecret);

/// <summary>
/// An optional capability of an <see cref="ITotpEnrollmentStore"/> that lets a key rotation move stored secrets to the
/// primary key (<c>ITwoFactorKeyRotation</c>, security.md item 36): page through the active secrets in key order, and
/// replace one blob by compare-and-swap. Both stores of this library implement it; a store without it cannot be re-wrapped.
/// </summary>
/// <remarks>
/// Each call is one short operation (for a database, one statement reading one page by key, or updating one row): a
/// re-wrap never holds a lock across pages, so logins go on while it runs. The step counter is left as it is, so a
/// replayed code stays refused after its secret is re-wrapped.
/// </remarks>
public interface ITotpSecretRewrapStore
{
    /// <summary>
    /// Up to <paramref name="limit"/> active secrets ordered by (tenant, principal), after <paramref name="after"/> (the last
    /// one of the previous page; <see langword="null"/> for the first page), of one tenant or of all.
    /// </summary>
    /// <param name="tenant">The tenant to list, or <see langword="null"/> for every tenant.</param>
    /// <param name="after">The last entry of the previous page, or <see langword="null"/>.</param>
    /// <param name="limit">The page size, at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page; fewer than <paramref name="limit"/> entries means it is the last.</returns>
    ValueTask<IReadOnlyList<TotpActiveSecret>> ListActiveSecretsAsync(TenantId? tenant, TotpActiveSecret? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the active secret with <paramref name="replacement"/> only if it is still byte for byte
    /// <paramref name="expectedActiveSecret"/> (one conditional update), leaving the last accepted step and any pending
    /// secret as they are.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="expectedActiveSecret">The blob the replacement was made from.</param>
    /// <param name="replacement">The same secret, protected with the primary key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was replaced (false: the secret was replaced, reset or removed meanwhile).</returns>
    ValueTask<bool> TryReplaceActiveSecretAsync(TenantId tenant, long principalId, byte[] expectedActiveSecret, byte[] replacement, CancellationToken cancellationToken);
}

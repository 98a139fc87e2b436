using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores;

/// <summary>
/// Keeps the tenant's principals: accounts and sub-users, which share one id space per tenant.
/// Each call is atomic. Ids are validated as positive by the caller.
/// </summary>
public interface IPrincipalDirectoryStore
{
    /// <summary>
    /// Adds an account that takes the tenant default as it stands at that moment (S1), stamped with a new
    /// tenant version. Fails with <see cref="DirectoryErrorCode.AlreadyExists"/> when the id is taken.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accountId">The new account's id (positive).</param>
    /// <param name="origin">Created or imported.</param>
    /// <param name="isDemo">Whether it is a demo account.</param>
    /// <param name="cancellationToken">Cancels the operation; a cancelled operation changes nothing.</param>
    ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a sub-user to an account of the same tenant. Fails with <see cref="DirectoryErrorCode.AlreadyExists"/>
    /// when the id is taken and <see cref="DirectoryErrorCode.AccountNotFound"/> when the account is not an account of the tenant.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subUserId">The new sub-user's id (positive).</param>
    /// <param name="accountId">The account it belongs to.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a principal; removing an account removes its sub-users too, in the same atomic step. Answers
    /// <see cref="DirectoryResult.Removed(IReadOnlyList{long}, long)"/> with the id of every principal removed (the engine then removes their
    /// second-step state from the other stores, policy.md C10), or <see cref="DirectoryErrorCode.NotFound"/> when absent.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="limit"/> of the tenant's principals whose id is greater than <paramref name="afterId"/>, in
    /// ascending id order, with the cursor of the next page (<see langword="null"/> when none follows). A tenant never written
    /// to answers an empty last page.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="afterId">Only ids greater than this; 0 for the first page.</param>
    /// <param name="limit">The most principals to answer; positive.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<DirectoryPage> ListAsync(TenantId tenant, long afterId, int limit, CancellationToken cancellationToken);
}

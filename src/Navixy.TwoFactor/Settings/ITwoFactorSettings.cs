using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Settings;

/// <summary>
/// The settings operations of Navixy's Panel API (<c>panel/user/mfa/settings</c>), scoped to one tenant.
/// Invalid input and unknown ids are answered with results, never exceptions; a rejected update changes nothing.
/// </summary>
public interface ITwoFactorSettings
{
    /// <summary>Reads an account's effective setting (<c>read</c>). Sub-users and other tenants' ids are not found.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accountId">The account id; any value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<AccountSettingResult> ReadAsync(TenantId tenant, long accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates all accounts (S2) or the selected ones (S3) (<c>update</c>). All or nothing (S8): the result names
    /// every offending id and reason. Idempotent (S9).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="target">All accounts, or selected ids.</param>
    /// <param name="setting">The setting to apply.</param>
    /// <param name="dryRun">Answer how many accounts would change, changing nothing.</param>
    /// <param name="cancellationToken">Cancels the update; a cancelled update changes nothing.</param>
    ValueTask<SettingsUpdateResult> UpdateAsync(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>Reads the default for new accounts (<c>default/read</c>); <c>Disallowed</c> for a fresh tenant.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<TwoFactorSetting> ReadDefaultAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Updates the default for new accounts (<c>default/update</c>); not retroactive (S5).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="setting">The new default.</param>
    /// <param name="dryRun">Validate only.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Admin Panel's "all users" switch (S6): sets every current account and the default for new ones, in
    /// one atomic step. Pass <see cref="TwoFactorSetting.Disallowed"/> to switch it off for everyone.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="setting">The setting for everyone.</param>
    /// <param name="dryRun">Answer how many accounts would change, changing nothing.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    ValueTask<SettingsUpdateResult> EnforceForEveryoneAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, CancellationToken cancellationToken = default);
}

/// <summary>Registers and removes a tenant's principals (accounts and sub-users).</summary>
public interface ITwoFactorDirectory
{
    /// <summary>Registers an account, created or imported; it takes the tenant default at this moment (S1).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accountId">The account id; must be positive and not yet used by a principal of the tenant.</param>
    /// <param name="origin">Created or imported.</param>
    /// <param name="isDemo">Whether it is a demo account (never asked for a second step, R1).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<DirectoryResult> RegisterAccountAsync(TenantId tenant, long accountId, AccountOrigin origin = AccountOrigin.Created, bool isDemo = false, CancellationToken cancellationToken = default);

    /// <summary>Registers a sub-user of an account of the same tenant; it follows that account (R2).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subUserId">The sub-user id; must be positive and not yet used by a principal of the tenant.</param>
    /// <param name="accountId">The account it belongs to.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<DirectoryResult> RegisterSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an account (with its sub-users) or a sub-user, and everything the engine holds for each of them: enrolment,
    /// recovery codes, challenges, failure count and lockout (policy.md C10), so that a principal registered later under the
    /// same id starts clean. <see cref="DirectoryResult.RemovedPrincipalIds"/> names every principal removed.
    /// </summary>
    /// <remarks>
    /// If a store fails after the directory removed the principals, the answer is
    /// <see cref="DirectoryErrorCode.StateNotRemoved"/> (never an exception): call again with the same id and with each
    /// removed id; removal is idempotent, and for an id the directory no longer holds it still removes any state left, then
    /// answers <see cref="DirectoryErrorCode.NotFound"/>. Cancellation is observed until the directory has removed the
    /// principals, not after.
    /// </remarks>
    /// <param name="tenant">The tenant.</param>
    /// <param name="principalId">The principal id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the tenant's principals in pages, in ascending id order, each with its kind, account, origin and demo flag
    /// (policy.md §1), so a host or an auditor can walk them: start with <paramref name="afterId"/> 0 and pass each page's
    /// <see cref="DirectoryPage.NextAfterId"/> until it is <see langword="null"/>. Another tenant's principals never appear (S7).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="afterId">Only ids greater than this; 0 (or any non-positive value) for the first page.</param>
    /// <param name="pageSize">The most principals per page, 1 to <see cref="TwoFactorOptions.MaxDirectoryPageSize"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is out of range.</exception>
    ValueTask<DirectoryPage> ListAsync(TenantId tenant, long afterId = 0, int pageSize = 100, CancellationToken cancellationToken = default);
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Settings;

/// <summary>
/// The settings operations of Navixy's Panel API (<c>panel/user/mfa/settings</c>), scoped to one tenant.
/// Invalid input and unknown ids are answered with results, never exceptions; a rejected update changes nothing. A store
/// failure never throws either: it is logged once and answered <see cref="SettingsUpdateResult.Failed"/>,
/// <see cref="AccountSettingResult.Failed"/> or <see langword="null"/>, as each method says; only misuse (a <c>default</c>
/// tenant, a null target) and the caller's own cancellation throw.
/// </summary>
public interface ITwoFactorSettings
{
    /// <summary>Reads an account's effective setting (<c>read</c>). Sub-users and other tenants' ids are not found.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accountId">The account id; any value.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The setting, <see cref="AccountSettingResult.NotFound"/>, or <see cref="AccountSettingResult.Failed"/> when a store failed.</returns>
    ValueTask<AccountSettingResult> ReadAsync(TenantId tenant, long accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates all accounts (S2) or the selected ones (S3) (<c>update</c>). All or nothing (S8): the result names
    /// every offending id and reason. Idempotent (S9).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="target">All accounts, or selected ids.</param>
    /// <param name="setting">The setting to apply.</param>
    /// <param name="dryRun">Answer how many accounts would change, changing nothing.</param>
    /// <param name="effectiveFrom">
    /// The moment from which the operation applies (policy.md S11); <see langword="null"/> or a moment that has come already
    /// applies it at once. A later moment is checked now (S8) and kept pending: until then it changes no answer, from then on
    /// every answer is as if it had been accepted at that moment. See <see cref="ListScheduledAsync"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the update; a cancelled update changes nothing.</param>
    /// <returns>Applied, scheduled or (dry run) would apply; rejected with every reason; or <see cref="SettingsUpdateResult.Failed"/>
    /// when a store failed (nothing changed).</returns>
    ValueTask<SettingsUpdateResult> UpdateAsync(TenantId tenant, SettingsTarget target, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the default for new accounts (<c>default/read</c>); <c>Disallowed</c> for a fresh tenant.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The default; <see langword="null"/> when a store failed.</returns>
    ValueTask<TwoFactorSetting?> ReadDefaultAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Updates the default for new accounts (<c>default/update</c>); not retroactive (S5).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="setting">The new default.</param>
    /// <param name="dryRun">Validate only.</param>
    /// <param name="effectiveFrom">
    /// The moment from which the operation applies (policy.md S11); <see langword="null"/> or a moment that has come already
    /// applies it at once. A later moment is checked now (S8) and kept pending: until then it changes no answer, from then on
    /// every answer is as if it had been accepted at that moment. See <see cref="ListScheduledAsync"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>Applied, scheduled, rejected, or <see cref="SettingsUpdateResult.Failed"/> when a store failed (nothing changed).</returns>
    ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The Admin Panel's "all users" switch (S6): sets every current account and the default for new ones, in
    /// one atomic step. Pass <see cref="TwoFactorSetting.Disallowed"/> to switch it off for everyone.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="setting">The setting for everyone.</param>
    /// <param name="dryRun">Answer how many accounts would change, changing nothing.</param>
    /// <param name="effectiveFrom">
    /// The moment from which the operation applies (policy.md S11); <see langword="null"/> or a moment that has come already
    /// applies it at once. A later moment is checked now (S8) and kept pending: until then it changes no answer, from then on
    /// every answer is as if it had been accepted at that moment. See <see cref="ListScheduledAsync"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>Applied, scheduled, rejected, or <see cref="SettingsUpdateResult.Failed"/> when a store failed (nothing changed).</returns>
    ValueTask<SettingsUpdateResult> EnforceForEveryoneAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun = false, DateTimeOffset? effectiveFrom = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tenant's scheduled changes not yet due (S11), by moment then acceptance: what each will do and from when. Empty
    /// when the settings store cannot schedule.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pending changes; <see langword="null"/> when a store failed.</returns>
    ValueTask<IReadOnlyList<ScheduledChange>?> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a scheduled change not yet due, so that it never applies (S11). Answers applied, or rejected with
    /// <see cref="SettingsErrorCode.NotFound"/> naming the id when no such change is pending in this tenant (unknown, another
    /// tenant's, cancelled, or applied already).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="changeId">The change's <see cref="ScheduledChange.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Applied, rejected (not found), or <see cref="SettingsUpdateResult.Failed"/> when a store failed (nothing changed).</returns>
    ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Registers and removes a tenant's principals (accounts and sub-users). A store failure never throws: it is logged once and
/// answered <see cref="DirectoryErrorCode.StoreFailed"/> (or <see cref="DirectoryErrorCode.StateNotRemoved"/>, see
/// <see cref="RemoveAsync"/>), or <see langword="null"/> by <see cref="ListAsync"/>.
/// </summary>
public interface ITwoFactorDirectory
{
    /// <summary>Registers an account, created or imported; it takes the tenant default at this moment (S1).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="accountId">The account id; must be positive and not yet used by a principal of the tenant.</param>
    /// <param name="origin">Created or imported.</param>
    /// <param name="isDemo">Whether it is a demo account (never asked for a second step, R1).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Added, or why not; <see cref="DirectoryErrorCode.StoreFailed"/> when a store failed (nothing was added).</returns>
    ValueTask<DirectoryResult> RegisterAccountAsync(TenantId tenant, long accountId, AccountOrigin origin = AccountOrigin.Created, bool isDemo = false, CancellationToken cancellationToken = default);

    /// <summary>Registers a sub-user of an account of the same tenant; it follows that account (R2).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="subUserId">The sub-user id; must be positive and not yet used by a principal of the tenant.</param>
    /// <param name="accountId">The account it belongs to.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Added, or why not; <see cref="DirectoryErrorCode.StoreFailed"/> when a store failed (nothing was added).</returns>
    ValueTask<DirectoryResult> RegisterSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes an account (with its sub-users) or a sub-user, and everything the engine holds for each of them: enrolment,
    /// recovery codes, challenges, failure count and lockout (policy.md C10), so that a principal registered later under the
    /// same id starts clean. <see cref="DirectoryResult.RemovedPrincipalIds"/> names every principal removed.
    /// </summary>
    /// <remarks>
    /// If the directory store fails, nothing was removed and the answer is <see cref="DirectoryErrorCode.StoreFailed"/>.
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
    /// <returns>The page; <see langword="null"/> when a store failed (never take it for the last page).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is out of range.</exception>
    ValueTask<DirectoryPage?> ListAsync(TenantId tenant, long afterId = 0, int pageSize = 100, CancellationToken cancellationToken = default);
}

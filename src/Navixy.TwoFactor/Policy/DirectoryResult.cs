using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace Navixy.TwoFactor.Policy;

/// <summary>Why registering or removing a principal failed.</summary>
public enum DirectoryErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The id is zero or negative.</summary>
    NonPositiveId = 1,

    /// <summary>A principal with this id already exists in the tenant (accounts and sub-users share one id space).</summary>
    AlreadyExists = 2,

    /// <summary>The account a sub-user should belong to is not an account of this tenant.</summary>
    AccountNotFound = 3,

    /// <summary>No principal with this id in the tenant.</summary>
    NotFound = 4,

    /// <summary>
    /// The directory removed the principal (see <see cref="DirectoryResult.RemovedPrincipalIds"/>), but a store failed while
    /// removing their second-step state (enrolment, recovery codes, challenges, lockout). Call
    /// <c>ITwoFactorDirectory.RemoveAsync</c> again with the same id and with each removed id until none answers
    /// this; <see cref="NotFound"/> then means nothing of that id is left.
    /// </summary>
    StateNotRemoved = 5,

    /// <summary>A store failed before anything was changed (logged); retry.</summary>
    StoreFailed = 6,
}

/// <summary>The answer to registering or removing a principal. <c>default</c> is a failure, never a success.</summary>
public readonly record struct DirectoryResult
{
    private static readonly IReadOnlyList<long> NoIds = [];

    private readonly bool _applied;
    private readonly ReadOnlyCollection<long>? _removed;

    private DirectoryResult(DirectoryErrorCode error, long affected, AccountRecord account, ReadOnlyCollection<long>? removed = null, long version = 0)
    {
        _applied = error == DirectoryErrorCode.None;
        Error = error;
        Affected = affected;
        Account = account;
        _removed = removed;
        Version = version;
    }

    /// <summary>
    /// Whether the operation was applied (for a removal: with everything the engine held for the removed principals). The one
    /// success flag, <see langword="false"/> for <c>default</c>.
    /// </summary>
    public bool Succeeded => _applied;

    /// <summary>Why it was not; <see cref="DirectoryErrorCode.None"/> on success.</summary>
    public DirectoryErrorCode Error { get; }

    /// <summary>How many principals were added or removed (removing an account removes its sub-users too).</summary>
    public long Affected { get; }

    /// <summary>
    /// The tenant-wide version stamp the change was applied with, which orders it among settings operations (policy.md §1):
    /// a registered account's <see cref="AccountRecord.Version"/>, a registered sub-user's or a removal's own stamp; 0 when
    /// nothing was changed.
    /// </summary>
    public long Version { get; }

    /// <summary>For a registered account, the record as stored (with the default it took); otherwise <c>default</c>.</summary>
    public AccountRecord Account { get; }

    /// <summary>
    /// For a removal, the ids of every principal the directory removed, in ascending order: the one named and, for an
    /// account, its sub-users (as many as <see cref="Affected"/>). Empty for any other operation and when nothing was removed.
    /// </summary>
    public IReadOnlyList<long> RemovedPrincipalIds => _removed ?? NoIds;

    /// <summary>A successful registration of an account.</summary>
    /// <param name="account">The stored record.</param>
    public static DirectoryResult AccountAdded(AccountRecord account) => new(DirectoryErrorCode.None, 1, account, version: account.Version);

    /// <summary>A successful operation that affected <paramref name="affected"/> principals (a removal answers <see cref="Removed(IReadOnlyList{long}, long)"/>).</summary>
    /// <param name="affected">The number of principals added.</param>
    public static DirectoryResult Done(long affected) => new(DirectoryErrorCode.None, affected, default);

    /// <summary>A successful operation that affected <paramref name="affected"/> principals, applied with a version stamp.</summary>
    /// <param name="affected">The number of principals added.</param>
    /// <param name="version">The tenant-wide version stamp the change took.</param>
    public static DirectoryResult Done(long affected, long version) => new(DirectoryErrorCode.None, affected, default, version: version);

    /// <summary>A successful removal of the given principals.</summary>
    /// <param name="principalIds">Every principal removed: the one named and, for an account, its sub-users; at least one.</param>
    public static DirectoryResult Removed(IReadOnlyList<long> principalIds) => Removed(principalIds, 0);

    /// <summary>A successful removal of the given principals, applied with a version stamp.</summary>
    /// <param name="principalIds">Every principal removed: the one named and, for an account, its sub-users; at least one.</param>
    /// <param name="version">The tenant-wide version stamp the removal took.</param>
    public static DirectoryResult Removed(IReadOnlyList<long> principalIds, long version)
    {
        ArgumentNullException.ThrowIfNull(principalIds);
        if (principalIds.Count == 0)
        {
            throw new ArgumentException("A removal removes at least the principal named.", nameof(principalIds));
        }

        long[] ids = [.. principalIds];
        Array.Sort(ids);
        return new(DirectoryErrorCode.None, ids.Length, default, Array.AsReadOnly(ids), version);
    }

    /// <summary>A failed operation.</summary>
    /// <param name="error">Why; not <see cref="DirectoryErrorCode.None"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="error"/> is <see cref="DirectoryErrorCode.None"/>, which would read as a success.</exception>
    public static DirectoryResult Failed(DirectoryErrorCode error) => error == DirectoryErrorCode.None
        ? throw new ArgumentOutOfRangeException(nameof(error), error, "A failure needs a reason.")
        : new(error, 0, default);

    /// <summary>
    /// This removal's answer when the directory applied it but the second-step state of a removed principal could not all
    /// be removed: <see cref="DirectoryErrorCode.StateNotRemoved"/>, keeping <see cref="Affected"/> and <see cref="RemovedPrincipalIds"/>.
    /// </summary>
    internal DirectoryResult WithStateNotRemoved() => new(DirectoryErrorCode.StateNotRemoved, Affected, default, _removed, Version);

    /// <summary>Whether both answers say the same, removed ids included.</summary>
    /// <param name="other">The other answer.</param>
    public bool Equals(DirectoryResult other) =>
        _applied == other._applied && Error == other.Error && Affected == other.Affected && Account.Equals(other.Account)
        && Version == other.Version && RemovedPrincipalIds.SequenceEqual(other.RemovedPrincipalIds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_applied, Error, Affected, Account, RemovedPrincipalIds.Count);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Succeeded = {Succeeded}, Error = {Error}, Affected = {Affected}, Version = {Version}, Account = {Account}");
        if (RemovedPrincipalIds.Count > 0)
        {
            builder.Append(", RemovedPrincipalIds = [").AppendJoin(", ", RemovedPrincipalIds).Append(']');
        }

        return true;
    }
}

/// <summary>
/// The answer to reading an account's setting: found, <see cref="NotFound"/>, or <see cref="Failed"/> (a store failed), which
/// is the <c>default</c>.
/// </summary>
public readonly record struct AccountSettingResult
{
    private readonly bool _notFound;

    private AccountSettingResult(bool found, TwoFactorSetting setting, SettingSource source, bool isDemo)
    {
        Found = found;
        _notFound = !found;
        Setting = setting;
        Source = source;
        IsDemo = isDemo;
    }

    /// <summary>
    /// Whether the id is an account of this tenant: the one success flag, <see langword="false"/> for <c>default</c>. Sub-users
    /// and other tenants' ids are not found.
    /// </summary>
    public bool Found { get; }

    /// <summary>The account's effective setting (what an update last set for it, or the default it took).</summary>
    public TwoFactorSetting Setting { get; }

    /// <summary>Where the setting came from.</summary>
    public SettingSource Source { get; }

    /// <summary>Whether the account is a demo account, for which the setting never applies at login (R1).</summary>
    public bool IsDemo { get; }

    /// <summary>A found account.</summary>
    /// <param name="setting">Its effective setting.</param>
    /// <param name="source">Where the setting came from.</param>
    /// <param name="isDemo">Whether it is a demo account.</param>
    public static AccountSettingResult Of(TwoFactorSetting setting, SettingSource source, bool isDemo) => new(true, setting, source, isDemo);

    /// <summary>No such account in this tenant.</summary>
    public static AccountSettingResult NotFound { get; } = new(false, default, SettingSource.None, false);

    /// <summary>A store failed; nothing is known about the account (retry). The <c>default</c>.</summary>
    public static AccountSettingResult Failed => default;

    /// <summary>Whether a store failed (<see cref="Failed"/>, the <c>default</c>): neither found nor known to be missing.</summary>
    public bool IsFailed => !Found && !_notFound;
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Settings;

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
}

/// <summary>The answer to registering or removing a principal.</summary>
public readonly record struct DirectoryResult
{
    private DirectoryResult(DirectoryErrorCode error, long affected, AccountRecord account)
    {
        Error = error;
        Affected = affected;
        Account = account;
    }

    /// <summary>Whether the operation was applied.</summary>
    public bool Succeeded => Error == DirectoryErrorCode.None;

    /// <summary>Why it was not; <see cref="DirectoryErrorCode.None"/> on success.</summary>
    public DirectoryErrorCode Error { get; }

    /// <summary>How many principals were added or removed (removing an account removes its sub-users too).</summary>
    public long Affected { get; }

    /// <summary>For a registered account, the record as stored (with the default it took); otherwise <c>default</c>.</summary>
    public AccountRecord Account { get; }

    /// <summary>A successful registration of an account.</summary>
    /// <param name="account">The stored record.</param>
    public static DirectoryResult AccountAdded(AccountRecord account) => new(DirectoryErrorCode.None, 1, account);

    /// <summary>A successful operation that affected <paramref name="affected"/> principals.</summary>
    /// <param name="affected">The number of principals added or removed.</param>
    public static DirectoryResult Done(long affected) => new(DirectoryErrorCode.None, affected, default);

    /// <summary>A failed operation.</summary>
    /// <param name="error">Why.</param>
    public static DirectoryResult Failed(DirectoryErrorCode error) => new(error, 0, default);
}

/// <summary>The answer to reading an account's setting.</summary>
public readonly record struct AccountSettingResult
{
    private AccountSettingResult(bool found, TwoFactorSetting setting, SettingSource source, bool isDemo)
    {
        Found = found;
        Setting = setting;
        Source = source;
        IsDemo = isDemo;
    }

    /// <summary>Whether the id is an account of this tenant. Sub-users and other tenants' ids are not found.</summary>
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
}

namespace Navixy.TwoFactor.Policy;

/// <summary>How an account came to exist. Both origins take the tenant default when they are registered (S1).</summary>
public enum AccountOrigin
{
    /// <summary>Created by hand (Admin Panel or Panel API).</summary>
    Created = 0,

    /// <summary>Brought in by an import.</summary>
    Imported = 1,
}

/// <summary>What a principal (a login) is.</summary>
public enum PrincipalKind
{
    /// <summary>No such principal in the tenant (or it belongs to another tenant).</summary>
    Unknown = 0,

    /// <summary>A user account, which has its own setting.</summary>
    Account = 1,

    /// <summary>A sub-user (an employee login inside an account), which follows its account.</summary>
    SubUser = 2,
}

/// <summary>Where an account's stored setting came from.</summary>
public enum SettingSource
{
    /// <summary>No setting applies (unknown principal or demo exemption).</summary>
    None = 0,

    /// <summary>The tenant default, taken when the account was registered (S1).</summary>
    TenantDefault = 1,

    /// <summary>An update that selected this account by id (S3).</summary>
    SelectedUpdate = 2,

    /// <summary>An update of all the tenant's accounts, or enforce-for-everyone (S2, S6).</summary>
    AllAccountsUpdate = 3,
}

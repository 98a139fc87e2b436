namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>What an audit-trail entry records (policy.md A1). Values are stored: never renumber them.</summary>
public enum AuditOperation
{
    /// <summary>Not an operation; never stored.</summary>
    None = 0,

    /// <summary>
    /// Update of all accounts (S2): the tenant-wide setting before and after, and how many accounts held each setting before.
    /// With <see cref="AuditEntry.EffectiveFrom"/>, as for the other settings operations: accepted for that later moment (S11).
    /// </summary>
    UpdateAll = 1,

    /// <summary>Update of the selected accounts (S3): the ids, the setting after, and how many of them held each setting before.</summary>
    UpdateSelected = 2,

    /// <summary>Update of the default for new accounts (S5): the default before and after.</summary>
    UpdateDefault = 3,

    /// <summary>Enforce for everyone (S6): as <see cref="UpdateAll"/>, with the default before.</summary>
    EnforceForEveryone = 4,

    /// <summary>An authenticator app was confirmed (added or replaced) for the principal.</summary>
    EnrollmentAdded = 5,

    /// <summary>The principal removed its authenticator app.</summary>
    EnrollmentRemoved = 6,

    /// <summary>
    /// An administrator reset the principal's authenticator and recovery codes, and with them its enrolment period (G1): one
    /// entry whatever the reset removed.
    /// </summary>
    AdminReset = 7,

    /// <summary>An administrator unlocked the principal.</summary>
    Unlock = 8,

    /// <summary>Remembered devices of the principal were forgotten: one (<see cref="AuditEntry.Detail"/> names it) or all.</summary>
    DevicesForgotten = 9,

    /// <summary>The tenant's remember period for devices changed; <see cref="AuditEntry.Detail"/> holds the new period.</summary>
    RememberPeriodChanged = 10,

    /// <summary>
    /// A settings operation scheduled for a later moment (S11) was cancelled before it applied:
    /// <see cref="AuditEntry.CancelledOperation"/> says which operation, <see cref="AuditEntry.EffectiveFrom"/> its moment,
    /// <see cref="AuditEntry.SettingAfter"/> and <see cref="AuditEntry.AccountIds"/> what it would have set, and
    /// <see cref="AuditEntry.Detail"/> its id (the <see cref="AuditEntry.Version"/> of the entry that scheduled it).
    /// </summary>
    ScheduledChangeCancelled = 12,

    /// <summary>
    /// The tenant's enrolment period for authenticators changed (policy.md G1); <see cref="AuditEntry.Detail"/> holds the new
    /// period.
    /// </summary>
    EnrollmentPeriodChanged = 20,
}

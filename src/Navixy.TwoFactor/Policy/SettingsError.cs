using System.Globalization;

namespace Navixy.TwoFactor.Policy;

/// <summary>Why a settings update (or one id in it) was rejected.</summary>
public enum SettingsErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>No such account in this tenant. An id of another tenant answers exactly this (S7).</summary>
    NotFound = 1,

    /// <summary>The id is a sub-user of this tenant; sub-users have no setting of their own (they follow their account).</summary>
    NotAnAccount = 2,

    /// <summary>The id is zero or negative.</summary>
    NonPositiveId = 3,

    /// <summary>The selected target names no id.</summary>
    EmptyTarget = 4,

    /// <summary>The selected target names more ids than <c>TwoFactorOptions.MaxIdsPerUpdate</c> allows.</summary>
    TooManyIds = 5,

    /// <summary>An allowed setting without factor types.</summary>
    NoFactorTypes = 6,

    /// <summary>A factor type this library does not know.</summary>
    UnknownFactorType = 7,

    /// <summary>A setting that is neither a valid allowed nor a valid disallowed setting.</summary>
    InvalidSetting = 8,

    /// <summary>The operation carries a later moment (S11), but the registered settings store cannot schedule.</summary>
    SchedulingUnsupported = 9,

    /// <summary>The tenant already has <c>TwoFactorOptions.MaxPendingChanges</c> scheduled changes pending.</summary>
    TooManyScheduled = 10,
}

/// <summary>One reason a settings update was rejected, naming the offending id where there is one.</summary>
/// <param name="Code">What is wrong.</param>
/// <param name="Id">The offending id, or <see langword="null"/> when the error is about the update as a whole.</param>
public readonly record struct SettingsError(SettingsErrorCode Code, long? Id = null)
{
    /// <summary>Whether the error concerns an id (Navixy's error 201 for <see cref="SettingsErrorCode.NotFound"/>) rather than the request's shape.</summary>
    public bool IsNotFound => Code is SettingsErrorCode.NotFound or SettingsErrorCode.NotAnAccount;

    /// <summary>A sentence for people, naming the id, e.g. <c>Account 17 was not found.</c></summary>
    public string Description
    {
        get
        {
            var id = Id?.ToString(CultureInfo.InvariantCulture) ?? "?";
            return Code switch
            {
                SettingsErrorCode.NotFound => $"Account {id} was not found.",
                SettingsErrorCode.NotAnAccount => $"Id {id} is a sub-user; sub-users follow their account and have no setting of their own.",
                SettingsErrorCode.NonPositiveId => $"Id {id} is not a positive integer.",
                SettingsErrorCode.EmptyTarget => "The selected target names no ids.",
                SettingsErrorCode.TooManyIds => "The selected target names more ids than one update may.",
                SettingsErrorCode.NoFactorTypes => "An allowed setting needs at least one factor type.",
                SettingsErrorCode.UnknownFactorType => "The setting names an unknown factor type.",
                SettingsErrorCode.InvalidSetting => "The setting is not valid.",
                SettingsErrorCode.SchedulingUnsupported => "The settings store cannot schedule changes for a later moment.",
                SettingsErrorCode.TooManyScheduled => "The tenant has as many scheduled changes pending as it may.",
                _ => "No error.",
            };
        }
    }

    /// <summary>Same as <see cref="Description"/>.</summary>
    public override string ToString() => Description;
}

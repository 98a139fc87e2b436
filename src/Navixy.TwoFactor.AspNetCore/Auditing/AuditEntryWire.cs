using System.Globalization;
using System.Text.Json.Serialization;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.AspNetCore.Auditing;

/// <summary>One audit-trail entry on the wire (<c>panel/user/mfa/audit/list</c>); fields that do not apply are left out.</summary>
/// <param name="Id">The entry's sequence: later entries have larger ids.</param>
/// <param name="Time">When the change was accepted (UTC, ISO 8601).</param>
/// <param name="Actor">Who made it, as the host named them.</param>
/// <param name="Action">What was changed, snake_case (for example <c>update_all</c>, <c>admin_reset</c>).</param>
/// <param name="UserId">The user the change is about.</param>
/// <param name="UserIds">The users of an update of selected users.</param>
/// <param name="SettingsBefore">The tenant-wide (or default) settings before.</param>
/// <param name="SettingsAfter">The settings after.</param>
/// <param name="DefaultBefore">The default before enforce for everyone.</param>
/// <param name="UsersBefore">How many users (demo users aside) held each settings value before.</param>
/// <param name="Version">The settings version stamp the change took.</param>
/// <param name="Detail">The forgotten device's id, the new remember or enrolment period, or the cancelled scheduled change's id.</param>
/// <param name="EffectiveFrom">For a settings change scheduled for later (and its cancellation), the moment it applies from.</param>
/// <param name="CancelledAction">For <c>scheduled_change_cancelled</c>, the action the cancelled change would have made.</param>
internal sealed record AuditEntryWire(
    [property: JsonPropertyOrder(1)] long Id,
    [property: JsonPropertyOrder(2)] DateTimeOffset Time,
    [property: JsonPropertyOrder(3)] string Actor,
    [property: JsonPropertyOrder(4)] string Action,
    [property: JsonPropertyOrder(5), JsonPropertyName("user_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? UserId,
    [property: JsonPropertyOrder(6), JsonPropertyName("user_ids"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<long>? UserIds,
    [property: JsonPropertyOrder(7), JsonPropertyName("settings_before"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MfaSettings? SettingsBefore,
    [property: JsonPropertyOrder(8), JsonPropertyName("settings_after"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MfaSettings? SettingsAfter,
    [property: JsonPropertyOrder(9), JsonPropertyName("default_before"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MfaSettings? DefaultBefore,
    [property: JsonPropertyOrder(10), JsonPropertyName("users_before"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SettingsCountWire>? UsersBefore,
    [property: JsonPropertyOrder(11), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long Version,
    [property: JsonPropertyOrder(12), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail,
    [property: JsonPropertyOrder(13), JsonPropertyName("effective_from"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EffectiveFrom,
    [property: JsonPropertyOrder(14), JsonPropertyName("cancelled_action"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CancelledAction)
{
    /// <summary>The wire form of an entry.</summary>
    public static AuditEntryWire From(AuditEntry entry) => new(
        entry.Sequence,
        entry.Moment,
        entry.Actor.Name,
        ActionName(entry.Operation),
        entry.PrincipalId,
        entry.AccountIds.Count > 0 ? entry.AccountIds : null,
        entry.SettingBefore is { } before ? MfaSettingsWire.Write(before) : null,
        entry.SettingAfter is { } after ? MfaSettingsWire.Write(after) : null,
        entry.DefaultBefore is { } defaultBefore ? MfaSettingsWire.Write(defaultBefore) : null,
        entry.AccountsBefore.Count > 0 ? [.. entry.AccountsBefore.OrderByDescending(c => c.Value).Select(c => new SettingsCountWire(MfaSettingsWire.Write(c.Key), c.Value))] : null,
        entry.Version,
        entry.Detail,
        entry.EffectiveFrom,
        entry.CancelledOperation == AuditOperation.None ? null : ActionName(entry.CancelledOperation));

    /// <summary>The snake_case name of an operation.</summary>
    public static string ActionName(AuditOperation operation) => operation switch
    {
        AuditOperation.UpdateAll => "update_all",
        AuditOperation.UpdateSelected => "update_selected",
        AuditOperation.UpdateDefault => "update_default",
        AuditOperation.EnforceForEveryone => "enforce_for_everyone",
        AuditOperation.EnrollmentAdded => "enrollment_added",
        AuditOperation.EnrollmentRemoved => "enrollment_removed",
        AuditOperation.AdminReset => "admin_reset",
        AuditOperation.Unlock => "unlock",
        AuditOperation.DevicesForgotten => "devices_forgotten",
        AuditOperation.RememberPeriodChanged => "remember_period_changed",
        AuditOperation.ScheduledChangeCancelled => "scheduled_change_cancelled",
        AuditOperation.EnrollmentPeriodChanged => "enrollment_period_changed",
        _ => ((int)operation).ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>How many users held a settings value.</summary>
/// <param name="Settings">The settings value.</param>
/// <param name="Count">How many users.</param>
internal sealed record SettingsCountWire(MfaSettings Settings, long Count);

/// <summary>The answer of <c>panel/user/mfa/audit/list</c>: a page, newest first, and the cursor of the next one.</summary>
/// <param name="List">The entries.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last page.</param>
internal sealed record AuditListResponse(
    [property: JsonPropertyOrder(1)] IReadOnlyList<AuditEntryWire> List,
    [property: JsonPropertyOrder(2), JsonPropertyName("next_cursor")] string? NextCursor) : NavixySuccess;

/// <summary><c>panel/user/mfa/audit/list</c>, every field optional.</summary>
/// <param name="UserId">Only entries about this user.</param>
/// <param name="From">Only entries at or after this moment (ISO 8601).</param>
/// <param name="To">Only entries before this moment (ISO 8601).</param>
/// <param name="Limit">Entries per page, 1 to 1000 (default 100).</param>
/// <param name="Cursor">The previous page's <c>next_cursor</c>.</param>
internal sealed record AuditListRequest(
    [property: JsonPropertyName("user_id")] long? UserId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? Limit,
    string? Cursor);

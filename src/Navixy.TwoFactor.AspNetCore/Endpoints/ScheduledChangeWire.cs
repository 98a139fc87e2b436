using System.Text.Json.Serialization;
using Navixy.TwoFactor.AspNetCore.Auditing;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>A settings change scheduled for a later moment (policy.md S11), as <c>settings/scheduled/list</c> and a scheduling update answer it.</summary>
/// <param name="Id">Its id: pass it to <c>panel/user/mfa/settings/scheduled/cancel</c>.</param>
/// <param name="EffectiveFrom">The moment from which it applies (UTC).</param>
/// <param name="Action">What it does, as the audit trail names it: <c>update_all</c>, <c>update_selected</c>, <c>update_default</c> or <c>enforce_for_everyone</c>.</param>
/// <param name="UserIds">The users of an update of selected users, in ascending order; left out otherwise.</param>
/// <param name="Settings">The settings it applies.</param>
internal sealed record ScheduledChangeWire(
    [property: JsonPropertyOrder(1)] long Id,
    [property: JsonPropertyOrder(2), JsonPropertyName("effective_from")] DateTimeOffset EffectiveFrom,
    [property: JsonPropertyOrder(3)] string Action,
    [property: JsonPropertyOrder(4), JsonPropertyName("user_ids"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<long>? UserIds,
    [property: JsonPropertyOrder(5)] MfaSettings Settings)
{
    /// <summary>The wire form of a change.</summary>
    public static ScheduledChangeWire From(ScheduledChange change) => new(
        change.Id,
        change.EffectiveFrom,
        AuditEntryWire.ActionName(OperationOf(change.Kind)),
        change.Kind == ScheduledChangeKind.SelectedAccounts ? change.AccountIds : null,
        MfaSettingsWire.Write(change.Setting));

    /// <summary>
    /// The audit-trail operation a change makes when it applies, so a change and its entry name it alike (the library's own
    /// mapping is internal; this one answers the same, and a kind it does not know shows as its number).
    /// </summary>
    private static AuditOperation OperationOf(ScheduledChangeKind kind) => kind switch
    {
        ScheduledChangeKind.AllAccounts => AuditOperation.UpdateAll,
        ScheduledChangeKind.SelectedAccounts => AuditOperation.UpdateSelected,
        ScheduledChangeKind.Default => AuditOperation.UpdateDefault,
        ScheduledChangeKind.Everyone => AuditOperation.EnforceForEveryone,
        _ => AuditOperation.None,
    };
}

/// <summary>The answer of a settings update with a later <c>effective_from</c>: the change as scheduled.</summary>
/// <param name="Scheduled">The pending change.</param>
internal sealed record ScheduledResponse(ScheduledChangeWire Scheduled) : NavixySuccess;

/// <summary>The answer of <c>panel/user/mfa/settings/scheduled/list</c>: the dealer's pending changes, by moment then acceptance.</summary>
/// <param name="List">The changes.</param>
internal sealed record ScheduledListResponse(IReadOnlyList<ScheduledChangeWire> List) : NavixySuccess;

/// <summary><c>panel/user/mfa/settings/scheduled/cancel</c>.</summary>
/// <param name="Id">The change's id.</param>
internal sealed record ScheduledCancelRequest(long Id);

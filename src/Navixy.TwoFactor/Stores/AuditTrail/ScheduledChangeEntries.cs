using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// The audit-trail entries of scheduling and cancelling a settings operation (policy.md A1, S11), as the in-memory store
/// writes them; the PostgreSQL statements write the same columns. Folding a due change in writes no entry: the scheduling
/// entry, with its <see cref="AuditEntry.EffectiveFrom"/>, records it.
/// </summary>
internal static class ScheduledChangeEntries
{
    /// <summary>The operation a scheduled change makes when it applies (the values are equal, 1 to 4).</summary>
    public static AuditOperation OperationOf(ScheduledChangeKind kind) => kind switch
    {
        ScheduledChangeKind.AllAccounts => AuditOperation.UpdateAll,
        ScheduledChangeKind.SelectedAccounts => AuditOperation.UpdateSelected,
        ScheduledChangeKind.Default => AuditOperation.UpdateDefault,
        ScheduledChangeKind.Everyone => AuditOperation.EnforceForEveryone,
        _ => AuditOperation.None,
    };

    /// <summary>
    /// The entry of a change just scheduled, with the settings it will replace at its moment as <paramref name="policy"/> (the
    /// tenant before the change was added) says: the stored settings and every change pending at or before that moment.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="change">The change as stored, with its id.</param>
    /// <param name="policy">The tenant's policy before the change was added.</param>
    /// <param name="accountsBefore">For a selected change, how many of its non-demo accounts will hold each setting just before it.</param>
    public static AuditEntry Scheduled(TenantId tenant, AuditContext audit, ScheduledChange change, TenantPolicy policy, IReadOnlyDictionary<TwoFactorSetting, long>? accountsBefore)
    {
        var moment = change.EffectiveFrom;
        var entry = new AuditEntry
        {
            Tenant = tenant,
            Moment = audit.Moment,
            Actor = audit.Actor,
            Operation = OperationOf(change.Kind),
            EffectiveFrom = moment,
            SettingAfter = change.Setting,
            AccountIds = change.AccountIds,
            Version = change.Id,
        };
        return change.Kind switch
        {
            ScheduledChangeKind.AllAccounts => entry with { SettingBefore = AllAccountsAt(policy, moment) },
            ScheduledChangeKind.Everyone => entry with { SettingBefore = AllAccountsAt(policy, moment), DefaultBefore = policy.DefaultAt(moment) },
            ScheduledChangeKind.Default => entry with { SettingBefore = policy.DefaultAt(moment) },
            _ => accountsBefore is null ? entry : entry with { AccountsBefore = accountsBefore },
        };
    }

    /// <summary>The entry of a pending change just cancelled.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="audit">Who and when.</param>
    /// <param name="change">The cancelled change.</param>
    /// <param name="version">The version stamp the cancellation took.</param>
    public static AuditEntry Cancelled(TenantId tenant, AuditContext audit, ScheduledChange change, long version) => new()
    {
        Tenant = tenant,
        Moment = audit.Moment,
        Actor = audit.Actor,
        Operation = AuditOperation.ScheduledChangeCancelled,
        CancelledOperation = OperationOf(change.Kind),
        EffectiveFrom = change.EffectiveFrom,
        SettingAfter = change.Setting,
        AccountIds = change.AccountIds,
        Version = version,
        Detail = change.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The all-accounts setting at <paramref name="at"/>: the stored one, or the last update-all or enforcement pending by then.</summary>
    private static TwoFactorSetting AllAccountsAt(TenantPolicy policy, DateTimeOffset at)
    {
        var setting = policy.AllAccountsSetting;
        var pending = policy.Pending;
        for (var i = 0; i < pending.Count && pending[i].EffectiveFrom <= at; i++)
        {
            if (pending[i].Kind is ScheduledChangeKind.AllAccounts or ScheduledChangeKind.Everyone)
            {
                setting = pending[i].Setting;
            }
        }

        return setting;
    }
}

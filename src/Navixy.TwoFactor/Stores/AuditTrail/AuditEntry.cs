using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.AuditTrail;

/// <summary>
/// One accepted change in the audit trail (policy.md A1): tenant, actor, moment, operation, target, and the settings before
/// and after. Holds no code, secret or token.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>The tenant the change belongs to.</summary>
    public required TenantId Tenant { get; init; }

    /// <summary>Orders the tenant's entries (larger is later); assigned by the store when the entry is written, 0 before.</summary>
    public long Sequence { get; init; }

    /// <summary>When the change was accepted, by the engine's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Moment { get; init; }

    /// <summary>Who made it, as the host named it.</summary>
    public TwoFactorActor Actor { get; init; }

    /// <summary>What was changed.</summary>
    public required AuditOperation Operation { get; init; }

    /// <summary>The principal the change is about; <see langword="null"/> for a tenant-wide change.</summary>
    public long? PrincipalId { get; init; }

    /// <summary>The accounts of an update of selected accounts, in the order given; empty otherwise.</summary>
    public IReadOnlyList<long> AccountIds { get; init; } = [];

    /// <summary>
    /// The setting before: the all-accounts setting for an update of all and enforce for everyone, the default for a default
    /// update; <see langword="null"/> for other operations.
    /// </summary>
    public TwoFactorSetting? SettingBefore { get; init; }

    /// <summary>The setting after, for settings operations; <see langword="null"/> otherwise.</summary>
    public TwoFactorSetting? SettingAfter { get; init; }

    /// <summary>The default for new accounts before enforce for everyone; <see langword="null"/> otherwise.</summary>
    public TwoFactorSetting? DefaultBefore { get; init; }

    /// <summary>
    /// For an update of all or selected accounts and enforce for everyone: how many of the accounts it concerned held each
    /// effective setting before (demo accounts, exempt by R1, are not counted). Empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<TwoFactorSetting, long> AccountsBefore { get; init; } = EmptyCounts;

    /// <summary>
    /// The settings version stamp the change took; 0 for a change that takes none. For a settings operation scheduled for a
    /// later moment, the stamp its acceptance took: the id that lists and cancels it (<c>ScheduledChange.Id</c>).
    /// </summary>
    public long Version { get; init; }

    /// <summary>
    /// For a settings operation accepted for a later moment (policy.md S11), that moment: the entry is written when the
    /// operation is scheduled, and no second entry when it comes due and applies. For
    /// <see cref="AuditOperation.ScheduledChangeCancelled"/>, the moment of the cancelled change. <see langword="null"/> for a
    /// change that applied when it was accepted.
    /// </summary>
    /// <remarks>
    /// The settings before of a scheduled operation are those it will replace at its moment as things stand when it is
    /// scheduled (the stored settings and the changes already pending before it). For an update of all or enforce for
    /// everyone <see cref="AccountsBefore"/> stays empty: the accounts it covers are those that exist at its moment, so their
    /// count is not known when it is scheduled, and counting them would cost a pass over every account (S10).
    /// </remarks>
    public DateTimeOffset? EffectiveFrom { get; init; }

    /// <summary>For <see cref="AuditOperation.ScheduledChangeCancelled"/>, the operation the cancelled change would have made; <see cref="AuditOperation.None"/> otherwise.</summary>
    public AuditOperation CancelledOperation { get; init; }

    /// <summary>The factor concerned, for a change of a principal's second-step state.</summary>
    public FactorTypes Factor { get; init; }

    /// <summary>A short non-secret detail: the forgotten device's id, the new remember or enrolment period, or the cancelled scheduled change's id.</summary>
    public string? Detail { get; init; }

    private static IReadOnlyDictionary<TwoFactorSetting, long> EmptyCounts { get; } = new Dictionary<TwoFactorSetting, long>();
}

/// <summary>Who and when, handed to a store with a change it writes together with its audit-trail entry.</summary>
/// <param name="Actor">Who made the change.</param>
/// <param name="Moment">When it was accepted.</param>
public readonly record struct AuditContext(TwoFactorActor Actor, DateTimeOffset Moment);

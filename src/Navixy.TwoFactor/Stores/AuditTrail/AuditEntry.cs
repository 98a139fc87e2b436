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

    /// <summary>The settings version stamp the change took; 0 for a change that takes none.</summary>
    public long Version { get; init; }

    /// <summary>The factor concerned, for a change of a principal's second-step state.</summary>
    public FactorTypes Factor { get; init; }

    /// <summary>A short non-secret detail: the forgotten device's id, or the new remember or enrolment period.</summary>
    public string? Detail { get; init; }

    private static IReadOnlyDictionary<TwoFactorSetting, long> EmptyCounts { get; } = new Dictionary<TwoFactorSetting, long>();
}

/// <summary>Who and when, handed to a store with a change it writes together with its audit-trail entry.</summary>
/// <param name="Actor">Who made the change.</param>
/// <param name="Moment">When it was accepted.</param>
public readonly record struct AuditContext(TwoFactorActor Actor, DateTimeOffset Moment);

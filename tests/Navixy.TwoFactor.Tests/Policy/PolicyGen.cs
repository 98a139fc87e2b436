using System.Reflection;
using FsCheck;
using FsCheck.Fluent;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Tests.Policy;

/// <summary>
/// FsCheck generators for the policy model: tenants, principal ids, accounts (origin, demo flag), settings
/// valid and invalid, and resolver snapshots. Ids come from a small range so that collisions, overlaps between
/// tenants and re-registrations happen often.
/// </summary>
public static class PolicyGen
{
    /// <summary>The highest id a generated principal gets; ids above it are never registered.</summary>
    public const long MaxPrincipalId = 24;

    /// <summary>Every known valid setting.</summary>
    public static readonly TwoFactorSetting[] ValidSettings =
    [
        TwoFactorSetting.Disallowed,
        TwoFactorSetting.Allowed(FactorTypes.Email),
        TwoFactorSetting.Allowed(FactorTypes.Totp),
        TwoFactorSetting.Allowed(FactorTypes.Email | FactorTypes.Totp),
    ];

    /// <summary>Ids no principal can have, and extremes a hostile caller might send.</summary>
    public static readonly long[] HostileIds = [0, -1, -42, long.MinValue, long.MinValue + 1, long.MaxValue, int.MaxValue + 1L];

    /// <summary>The ids whose answers the tests compare: every id a generator uses, plus hostile ones.</summary>
    public static readonly long[] ObservedIds =
        [.. Enumerable.Range(1, (int)MaxPrincipalId + 2).Select(i => (long)i), .. HostileIds];

    public static Gen<TenantId> Tenant =>
        Gen.Frequency(
            (4, Gen.Choose(1, 6).Select(v => new TenantId(v))),
            (1, Gen.Elements(long.MaxValue, 1L << 40, int.MaxValue + 7L).Select(v => new TenantId(v))));

    /// <summary>Two distinct tenants.</summary>
    public static Gen<(TenantId A, TenantId B)> TwoTenants =>
        Gen.Two(Tenant).Where(t => t.Item1 != t.Item2).Select(t => (t.Item1, t.Item2));

    public static Gen<long> PrincipalId => Gen.Choose(1, (int)MaxPrincipalId).Select(i => (long)i);

    public static Gen<long> HostileId => Gen.Elements(HostileIds);

    /// <summary>Mostly ids in the principal range, sometimes a hostile one.</summary>
    public static Gen<long> AnyId => Gen.Frequency((12, PrincipalId), (1, HostileId));

    public static Gen<AccountOrigin> Origin => Gen.Elements(AccountOrigin.Created, AccountOrigin.Imported);

    public static Gen<bool> Demo => Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)));

    public static Gen<bool> DryRun => Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)));

    public static Gen<TwoFactorSetting> ValidSetting => Gen.Elements(ValidSettings);

    /// <summary>
    /// Settings the engine must refuse: allowed with no factor, allowed with an undefined flag bit (alone or
    /// beside a known one), and a disallowed setting that carries factor bits.
    /// </summary>
    public static Gen<TwoFactorSetting> InvalidSetting =>
        Gen.OneOf(
            Gen.Constant(TwoFactorSetting.Allowed(FactorTypes.None)),
            Gen.Choose(2, 31).Select(bit => TwoFactorSetting.Allowed((FactorTypes)(1 << bit))),
            Gen.Choose(2, 31).Select(bit => TwoFactorSetting.Allowed(FactorTypes.Email | (FactorTypes)(1 << bit))),
            Gen.Elements(FactorTypes.Email, FactorTypes.Totp, FactorTypes.Email | FactorTypes.Totp, (FactorTypes)4)
                .Select(DisallowedWithFactors));

    /// <summary>Mostly valid settings, sometimes an invalid one.</summary>
    public static Gen<TwoFactorSetting> AnySetting => Gen.Frequency((6, ValidSetting), (1, InvalidSetting));

    /// <summary>
    /// A disallowed setting carrying factor bits. The public API cannot make one; a deserialiser or a
    /// hostile caller with reflection can, so the engine must still refuse it.
    /// </summary>
    public static TwoFactorSetting DisallowedWithFactors(FactorTypes factors)
    {
        object boxed = TwoFactorSetting.Disallowed;
        var field = typeof(TwoFactorSetting).GetField("<Factors>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("TwoFactorSetting has no Factors backing field any more; update the test helper.");
        field.SetValue(boxed, factors);
        var setting = (TwoFactorSetting)boxed;
        return setting.IsAllowed || setting.Factors != factors
            ? throw new InvalidOperationException("Could not build a disallowed setting with factors.")
            : setting;
    }

    /// <summary>An account record as a store could hold it (any origin, demo flag, valid setting and stamp).</summary>
    public static Gen<AccountRecord> AccountRecord =>
        from id in Gen.Choose(1, int.MaxValue).Select(i => (long)i)
        from origin in Origin
        from demo in Demo
        from setting in ValidSetting
        from source in Gen.Elements(SettingSource.TenantDefault, SettingSource.SelectedUpdate)
        from version in Gen.Choose(1, 40)
        select new AccountRecord(id, origin, demo, setting, source, version);

    /// <summary>A tenant's settings as a store could hold them (update-all stamp 0 means none yet).</summary>
    public static Gen<TenantPolicy> TenantPolicy =>
        from defaultSetting in ValidSetting
        from allSetting in ValidSetting
        from version in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(1, 40)))
        select new TenantPolicy(defaultSetting, version == 0 ? TwoFactorSetting.Disallowed : allSetting, version);
}

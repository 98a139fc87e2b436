namespace Navixy.TwoFactor.Policy;

/// <summary>
/// An immutable view of a tenant's settings: the default for new accounts and the last update that
/// targeted all accounts. A tenant never written to is <see cref="Initial"/> (default <c>Disallowed</c>).
/// </summary>
/// <remarks>
/// Update-all is O(1): it stamps <see cref="AllAccountsSetting"/> with a new version instead of writing
/// every account. An account's effective setting is whichever of its own setting and the all-accounts
/// setting carries the later stamp (S4).
/// </remarks>
public sealed record TenantPolicy
{
    private readonly IReadOnlyList<ScheduledChange> _pending = [];

    /// <summary>The state of a tenant nothing has been written to: default <c>Disallowed</c>, no update-all.</summary>
    public static TenantPolicy Initial { get; } = new(TwoFactorSetting.Disallowed, TwoFactorSetting.Disallowed, 0);

    /// <summary>Creates a tenant view.</summary>
    /// <param name="defaultSetting">The setting new accounts take (S1).</param>
    /// <param name="allAccountsSetting">The setting of the last update-all; ignored when <paramref name="allAccountsVersion"/> is 0.</param>
    /// <param name="allAccountsVersion">The version stamp of the last update-all; 0 when there has been none.</param>
    public TenantPolicy(TwoFactorSetting defaultSetting, TwoFactorSetting allAccountsSetting, long allAccountsVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(allAccountsVersion);
        DefaultSetting = defaultSetting;
        AllAccountsSetting = allAccountsSetting;
        AllAccountsVersion = allAccountsVersion;
    }

    /// <summary>The setting accounts take when they are created or imported (S1). Not retroactive (S5).</summary>
    public TwoFactorSetting DefaultSetting { get; init; }

    /// <summary>The setting of the last update that targeted all accounts.</summary>
    public TwoFactorSetting AllAccountsSetting { get; init; }

    /// <summary>The version stamp of the last update-all; 0 when there has been none.</summary>
    public long AllAccountsVersion { get; init; }

    /// <summary>
    /// The last version stamp the tenant handed out, from which the changes in <see cref="Pending"/> that are due but not yet
    /// folded into the stored state take theirs: the i-th due change (from 1) is stamped <c>Version + i</c>, as folding stamps it.
    /// </summary>
    public long Version { get; init; }

    /// <summary>
    /// The scheduled changes not yet folded into the stored state (policy.md S11), ordered by moment then acceptance; every
    /// one of them is later than any state stored. Empty for a tenant without schedules.
    /// </summary>
    public IReadOnlyList<ScheduledChange> Pending
    {
        get => _pending;
        init
        {
            _pending = value;
            HasPending = value is { Count: > 0 };
        }
    }

    /// <summary>
    /// Whether <see cref="Pending"/> holds any change: without one no answer depends on the moment, so a resolver need not
    /// read its clock (kept beside the list so the hot path makes no interface call to ask).
    /// </summary>
    internal bool HasPending { get; private init; }

    /// <summary>The default for accounts registered at <paramref name="at"/>: the stored one, or the last due scheduled default.</summary>
    /// <param name="at">The moment.</param>
    public TwoFactorSetting DefaultAt(DateTimeOffset at)
    {
        var setting = DefaultSetting;
        var pending = Pending;
        for (var i = 0; i < pending.Count && pending[i].EffectiveFrom <= at; i++)
        {
            if (pending[i].SetsDefault)
            {
                setting = pending[i].Setting;
            }
        }

        return setting;
    }

    /// <summary>
    /// The setting in force for an account at <paramref name="at"/>: <see cref="EffectiveSetting(in AccountRecord)"/>, then
    /// every change of <see cref="Pending"/> due by then that covers the account, in order (S11). Pure: the moment is given.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="at">The moment the answer is for.</param>
    public (TwoFactorSetting Setting, SettingSource Source, long Version) EffectiveSetting(in AccountRecord account, DateTimeOffset at)
    {
        var effective = EffectiveSetting(account);
        if (!HasPending)
        {
            return effective;
        }

        var pending = Pending;
        for (var i = 0; i < pending.Count && pending[i].EffectiveFrom <= at; i++)
        {
            var change = pending[i];
            if (change.Covers(account.Id))
            {
                effective = (change.Setting, change.Source, Version + i + 1);
            }
        }

        return effective;
    }

    /// <summary>The setting in force for an account: the later-stamped of its own setting and the update-all setting.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The setting, where it came from, and the version stamp of the operation that wrote it.</returns>
    public (TwoFactorSetting Setting, SettingSource Source, long Version) EffectiveSetting(in AccountRecord account) =>
        account.Version > AllAccountsVersion
            ? (account.Setting, account.Source, account.Version)
            : (AllAccountsSetting, SettingSource.AllAccountsUpdate, AllAccountsVersion);
}

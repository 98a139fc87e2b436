namespace Navixy.TwoFactor.Policy;

/// <summary>Which settings operation a scheduled change is (policy.md S11).</summary>
public enum ScheduledChangeKind
{
    /// <summary>No operation; not a valid kind.</summary>
    None = 0,

    /// <summary>Update all accounts that exist at the change's moment (S2).</summary>
    AllAccounts = 1,

    /// <summary>Update the selected accounts (S3) that are accounts of the tenant at the change's moment.</summary>
    SelectedAccounts = 2,

    /// <summary>Update the default for accounts registered from the change's moment on (S1, S5).</summary>
    Default = 3,

    /// <summary>Enforce for everyone: update all plus update the default, as one step (S6).</summary>
    Everyone = 4,
}

/// <summary>
/// A settings operation accepted for a later moment (policy.md S11): before <see cref="EffectiveFrom"/> it changes no answer;
/// from it on every answer is as if the operation had been accepted at that moment. Pending changes are ordered by moment,
/// then by acceptance (<see cref="Id"/>).
/// </summary>
public sealed record ScheduledChange
{
    private readonly long[] _accountIds;

    /// <summary>Creates a scheduled change.</summary>
    /// <param name="id">Its id: the tenant version stamp taken when it was accepted (orders equal moments).</param>
    /// <param name="effectiveFrom">The moment from which it applies.</param>
    /// <param name="kind">Which operation.</param>
    /// <param name="setting">The setting it applies.</param>
    /// <param name="accountIds">For <see cref="ScheduledChangeKind.SelectedAccounts"/>, the accounts; ignored for the other kinds.</param>
    public ScheduledChange(long id, DateTimeOffset effectiveFrom, ScheduledChangeKind kind, TwoFactorSetting setting, IEnumerable<long>? accountIds = null)
    {
        if (kind is < ScheduledChangeKind.AllAccounts or > ScheduledChangeKind.Everyone)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scheduled change kind.");
        }

        Id = id;
        EffectiveFrom = effectiveFrom;
        Kind = kind;
        Setting = setting;
        _accountIds = kind == ScheduledChangeKind.SelectedAccounts && accountIds is not null ? [.. accountIds.Distinct().Order()] : [];
    }

    /// <summary>The change's id, the version stamp its acceptance took; cancel it by this id.</summary>
    public long Id { get; }

    /// <summary>The moment from which the change applies.</summary>
    public DateTimeOffset EffectiveFrom { get; }

    /// <summary>Which operation.</summary>
    public ScheduledChangeKind Kind { get; }

    /// <summary>The setting it applies.</summary>
    public TwoFactorSetting Setting { get; }

    /// <summary>For a selected update, the account ids in ascending order; empty for the other kinds.</summary>
    public IReadOnlyList<long> AccountIds => _accountIds;

    /// <summary>Whether the change sets the default for new accounts (a default update or enforce for everyone).</summary>
    public bool SetsDefault => Kind is ScheduledChangeKind.Default or ScheduledChangeKind.Everyone;

    /// <summary>Where an account's setting comes from once this change has set it.</summary>
    public SettingSource Source => Kind == ScheduledChangeKind.SelectedAccounts ? SettingSource.SelectedUpdate : SettingSource.AllAccountsUpdate;

    /// <summary>Whether the change sets the setting of the given existing account when it applies.</summary>
    /// <param name="accountId">The account.</param>
    public bool Covers(long accountId) => Kind switch
    {
        ScheduledChangeKind.AllAccounts or ScheduledChangeKind.Everyone => true,
        ScheduledChangeKind.SelectedAccounts => Array.BinarySearch(_accountIds, accountId) >= 0,
        _ => false,
    };

    /// <summary>Whether both describe the same change, account ids included.</summary>
    /// <param name="other">The other change.</param>
    public bool Equals(ScheduledChange? other) =>
        other is not null && Id == other.Id && EffectiveFrom == other.EffectiveFrom && Kind == other.Kind && Setting == other.Setting
        && _accountIds.AsSpan().SequenceEqual(other._accountIds);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, EffectiveFrom, Kind, Setting, _accountIds.Length);

    /// <summary>Describes the change, e.g. <c>#12 AllAccounts Allowed(Email) from 2026-02-01T00:00:00.0000000+00:00</c>.</summary>
    public override string ToString() =>
        $"#{Id} {Kind} {Setting} from {EffectiveFrom:O}" + (Kind == ScheduledChangeKind.SelectedAccounts ? $" ({_accountIds.Length} ids)" : string.Empty);
}

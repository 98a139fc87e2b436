using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Tests.Settings;

/// <summary>
/// A deliberately naive reference for policy.md §2–§3: a plain dictionary of accounts per tenant, each holding
/// its own setting, updated account by account (update-all loops over the accounts; no version stamps).
/// The engine must give the same answers on every operation sequence.
/// </summary>
public sealed class ReferenceModel(int maxIdsPerUpdate = OperationGen.MaxIdsPerUpdate)
{
    private readonly Dictionary<TenantId, TenantState> _tenants = [];

    public sealed class AccountState(AccountOrigin origin, bool isDemo, TwoFactorSetting setting, SettingSource source)
    {
        public AccountOrigin Origin { get; } = origin;

        public bool IsDemo { get; } = isDemo;

        public TwoFactorSetting Setting { get; set; } = setting;

        public SettingSource Source { get; set; } = source;
    }

    public sealed class TenantState
    {
        public TwoFactorSetting Default { get; set; } = TwoFactorSetting.Disallowed;

        public Dictionary<long, AccountState> Accounts { get; } = [];

        /// <summary>Sub-user id → its account id.</summary>
        public Dictionary<long, long> SubUsers { get; } = [];

        /// <summary>Operations accepted for a later moment (S11), with their acceptance number; applied by <see cref="Advance"/>.</summary>
        public List<(DateTimeOffset At, long Seq, Operation Operation)> Pending { get; } = [];
    }

    private long _accepted;

    /// <summary>The model's clock; the engine's fake clock starts at the same moment.</summary>
    public DateTimeOffset Now { get; private set; } = TestEngine.Start;

    /// <summary>The pending operations of a tenant, by moment then acceptance.</summary>
    public IReadOnlyList<(DateTimeOffset At, Operation Operation)> PendingOf(TenantId tenant) =>
        [.. Tenant(tenant).Pending.OrderBy(p => p.At).ThenBy(p => p.Seq).Select(p => (p.At, p.Operation))];

    /// <summary>Moves the clock on: in every tenant, each pending operation whose moment has come applies, in order, as if accepted then.</summary>
    public void Advance(TimeSpan by)
    {
        Now += by;
        foreach (var t in _tenants.Values)
        {
            var due = t.Pending.Where(p => p.At <= Now).OrderBy(p => p.At).ThenBy(p => p.Seq).ToList();
            foreach (var (at, seq, operation) in due)
            {
                t.Pending.Remove((at, seq, operation));
                switch (operation)
                {
                    case UpdateSelected u:
                        // Validated when scheduled; sets the listed ids that are accounts at its moment.
                        SetAccounts(t, [.. u.Ids.Distinct().Where(t.Accounts.ContainsKey)], u.Setting, SettingSource.SelectedUpdate, dryRun: false);
                        break;
                    default:
                        ApplyNow(t, operation);
                        break;
                }
            }
        }
    }

    public TenantState Tenant(TenantId tenant)
    {
        if (!_tenants.TryGetValue(tenant, out var state))
        {
            state = new TenantState();
            _tenants[tenant] = state;
        }

        return state;
    }

    public IReadOnlyList<long> Accounts(TenantId tenant) => [.. Tenant(tenant).Accounts.Keys.Order()];

    public IReadOnlyList<long> NonDemoAccounts(TenantId tenant) => [.. Tenant(tenant).Accounts.Where(a => !a.Value.IsDemo).Select(a => a.Key).Order()];

    public IReadOnlyList<long> SubUsers(TenantId tenant) => [.. Tenant(tenant).SubUsers.Keys.Order()];

    public bool IsRegistered(TenantId tenant, long id) => Tenant(tenant).Accounts.ContainsKey(id) || Tenant(tenant).SubUsers.ContainsKey(id);

    public OpOutcome Apply(TenantId tenant, Operation operation)
    {
        var t = Tenant(tenant);
        switch (operation)
        {
            case AdvanceTime a:
                Advance(TimeSpan.FromMinutes(a.Minutes));
                return new OpOutcome(true, DirectoryErrorCode.None, 0, false, 0, "");

            case Scheduled s when s.OffsetMinutes <= 0:
                return ApplyNow(t, s.Inner);

            case Scheduled s:
                var errors = s.Inner switch
                {
                    UpdateSelected u => SelectedErrors(t, u),
                    UpdateAll u => [.. SettingErrors(u.Setting)],
                    UpdateDefault u => [.. SettingErrors(u.Setting)],
                    EnforceForEveryone e => [.. SettingErrors(e.Setting)],
                    _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Only settings operations are scheduled."),
                };
                var dryRun = s.Inner is UpdateAll { DryRun: true } or UpdateSelected { DryRun: true } or UpdateDefault { DryRun: true } or EnforceForEveryone { DryRun: true };
                if (SettingsRejection(errors, dryRun) is { } rejection)
                {
                    return rejection;
                }

                if (!dryRun)
                {
                    t.Pending.Add((Now.AddMinutes(s.OffsetMinutes), ++_accepted, s.Inner));
                }

                return new OpOutcome(true, DirectoryErrorCode.None, 0, dryRun, 0, "");

            case CancelScheduled c:
                var pending = t.Pending.OrderBy(p => p.At).ThenBy(p => p.Seq).ToList();
                if (pending.Count == 0)
                {
                    return new OpOutcome(false, DirectoryErrorCode.None, 0, false, 0, nameof(SettingsErrorCode.NotFound));
                }

                t.Pending.Remove(pending[c.Pick % pending.Count]);
                return new OpOutcome(true, DirectoryErrorCode.None, 0, false, 0, "");

            default:
                return ApplyNow(t, operation);
        }
    }

    private OpOutcome ApplyNow(TenantState t, Operation operation)
    {
        switch (operation)
        {
            case RegisterAccount r:
                if (r.Id <= 0)
                {
                    return DirectoryFailure(DirectoryErrorCode.NonPositiveId);
                }

                if (t.Accounts.ContainsKey(r.Id) || t.SubUsers.ContainsKey(r.Id))
                {
                    return DirectoryFailure(DirectoryErrorCode.AlreadyExists);
                }

                t.Accounts[r.Id] = new AccountState(r.Origin, r.IsDemo, t.Default, SettingSource.TenantDefault);
                return DirectoryDone(1);

            case RegisterSubUser s:
                if (s.Id <= 0)
                {
                    return DirectoryFailure(DirectoryErrorCode.NonPositiveId);
                }

                if (!t.Accounts.ContainsKey(s.AccountId))
                {
                    return DirectoryFailure(DirectoryErrorCode.AccountNotFound);
                }

                if (t.Accounts.ContainsKey(s.Id) || t.SubUsers.ContainsKey(s.Id))
                {
                    return DirectoryFailure(DirectoryErrorCode.AlreadyExists);
                }

                t.SubUsers[s.Id] = s.AccountId;
                return DirectoryDone(1);

            case RemovePrincipal r:
                if (t.SubUsers.Remove(r.Id))
                {
                    return DirectoryDone(1);
                }

                if (!t.Accounts.Remove(r.Id))
                {
                    return DirectoryFailure(DirectoryErrorCode.NotFound);
                }

                var orphans = t.SubUsers.Where(s => s.Value == r.Id).Select(s => s.Key).ToList();
                foreach (var orphan in orphans)
                {
                    t.SubUsers.Remove(orphan);
                }

                return DirectoryDone(1 + orphans.Count);

            case UpdateAll u:
                return SettingsRejection([.. SettingErrors(u.Setting)], u.DryRun)
                    ?? SetAccounts(t, [.. t.Accounts.Keys], u.Setting, SettingSource.AllAccountsUpdate, u.DryRun);

            case UpdateSelected u:
                return SettingsRejection(SelectedErrors(t, u), u.DryRun)
                    ?? SetAccounts(t, [.. u.Ids.Distinct()], u.Setting, SettingSource.SelectedUpdate, u.DryRun);

            case UpdateDefault u:
                if (SettingsRejection([.. SettingErrors(u.Setting)], u.DryRun) is { } rejected)
                {
                    return rejected;
                }

                if (!u.DryRun)
                {
                    t.Default = u.Setting;
                }

                return new OpOutcome(true, DirectoryErrorCode.None, 0, u.DryRun, 0, "");

            case EnforceForEveryone e:
                if (SettingsRejection([.. SettingErrors(e.Setting)], e.DryRun) is { } refused)
                {
                    return refused;
                }

                var outcome = SetAccounts(t, [.. t.Accounts.Keys], e.Setting, SettingSource.AllAccountsUpdate, e.DryRun);
                if (!e.DryRun)
                {
                    t.Default = e.Setting;
                }

                return outcome;

            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation.");
        }
    }

    /// <summary>Every error an update-selected must name (the whole list when it is too long is one error).</summary>
    public List<SettingsError> SelectedErrors(TenantState t, UpdateSelected u)
    {
        var errors = SettingErrors(u.Setting).ToList();
        if (u.Ids.Length == 0)
        {
            errors.Add(new SettingsError(SettingsErrorCode.EmptyTarget));
            return errors;
        }

        if (u.Ids.Length > maxIdsPerUpdate)
        {
            errors.Add(new SettingsError(SettingsErrorCode.TooManyIds));
            return errors;
        }

        foreach (var id in u.Ids.Distinct())
        {
            if (id <= 0)
            {
                errors.Add(new SettingsError(SettingsErrorCode.NonPositiveId, id));
            }
            else if (t.SubUsers.ContainsKey(id))
            {
                errors.Add(new SettingsError(SettingsErrorCode.NotAnAccount, id));
            }
            else if (!t.Accounts.ContainsKey(id))
            {
                errors.Add(new SettingsError(SettingsErrorCode.NotFound, id));
            }
        }

        return errors;
    }

    public List<SettingsError> SelectedErrors(TenantId tenant, UpdateSelected u) => SelectedErrors(Tenant(tenant), u);

    public static IEnumerable<SettingsError> SettingErrors(TwoFactorSetting setting)
    {
        if (!setting.IsAllowed)
        {
            if (setting.Factors != FactorTypes.None)
            {
                yield return new SettingsError(SettingsErrorCode.InvalidSetting);
            }
        }
        else if (setting.Factors == FactorTypes.None)
        {
            yield return new SettingsError(SettingsErrorCode.NoFactorTypes);
        }
        else if ((setting.Factors & ~(FactorTypes.Email | FactorTypes.Totp)) != 0)
        {
            yield return new SettingsError(SettingsErrorCode.UnknownFactorType);
        }
    }

    /// <summary>The answer the resolver must give for <paramref name="id"/>.</summary>
    public Observed Answer(TenantId tenant, long id)
    {
        var t = Tenant(tenant);
        PrincipalKind kind;
        long accountId;
        if (t.Accounts.ContainsKey(id))
        {
            kind = PrincipalKind.Account;
            accountId = id;
        }
        else if (t.SubUsers.TryGetValue(id, out var owner))
        {
            kind = PrincipalKind.SubUser;
            accountId = owner;
        }
        else
        {
            return new Observed(RequirementOutcome.UnknownPrincipal, FactorTypes.None, NotRequiredReason.None, PolicyRule.UnknownPrincipal, PrincipalKind.Unknown, 0, SettingSource.None);
        }

        var account = t.Accounts[accountId];
        if (account.IsDemo)
        {
            return new Observed(RequirementOutcome.NotRequired, FactorTypes.None, NotRequiredReason.DemoAccount, PolicyRule.DemoExemption, kind, accountId, SettingSource.None);
        }

        var rule = kind == PrincipalKind.SubUser ? PolicyRule.SubUserFollowsAccount : PolicyRule.AccountSetting;
        return account.Setting.IsAllowed
            ? new Observed(RequirementOutcome.Required, account.Setting.Factors, NotRequiredReason.None, rule, kind, accountId, account.Source)
            : new Observed(RequirementOutcome.NotRequired, FactorTypes.None, NotRequiredReason.SettingDisallowed, rule, kind, accountId, account.Source);
    }

    public Observed[] ObservedAnswers(TenantId tenant) => [.. Policy.PolicyGen.ObservedIds.Select(id => Answer(tenant, id))];

    /// <summary>What reading <paramref name="id"/>'s setting must answer.</summary>
    public AccountSettingResult Read(TenantId tenant, long id) =>
        Tenant(tenant).Accounts.TryGetValue(id, out var account)
            ? AccountSettingResult.Of(account.Setting, account.Source, account.IsDemo)
            : AccountSettingResult.NotFound;

    public TwoFactorSetting Default(TenantId tenant) => Tenant(tenant).Default;

    private static OpOutcome SetAccounts(TenantState t, long[] ids, TwoFactorSetting setting, SettingSource source, bool dryRun)
    {
        long changed = 0;
        foreach (var id in ids)
        {
            var account = t.Accounts[id];
            if (!account.IsDemo && account.Setting != setting)
            {
                changed++;
            }

            if (!dryRun)
            {
                account.Setting = setting;
                account.Source = source;
            }
        }

        return new OpOutcome(true, DirectoryErrorCode.None, 0, dryRun, changed, "");
    }

    private static OpOutcome? SettingsRejection(List<SettingsError> errors, bool dryRun) =>
        errors.Count == 0 ? null : new OpOutcome(false, DirectoryErrorCode.None, 0, dryRun, 0, OpOutcome.ErrorsKey(errors));

    private static OpOutcome DirectoryFailure(DirectoryErrorCode code) => new(false, code, 0, false, 0, "");

    private static OpOutcome DirectoryDone(long affected) => new(true, DirectoryErrorCode.None, affected, false, 0, "");
}

using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The settings operations of the in-memory policy store as steps on a tenant held under its lock, shared by the operations
/// applied at once and by the scheduled changes folded in when they come due (policy.md S11).
/// </summary>
internal sealed partial class InMemoryPolicyStore
{
    private long _foldWrites;

    /// <summary>
    /// Applies, in order, every scheduled change due by now to the stored state and answers the tenant policy as of now, still
    /// to be published by <see cref="Publish"/> once the caller has written its entries (readers take entries, then the policy:
    /// an entry written by a fold before the policy says so reads as the pending change would make it).
    /// </summary>
    private TenantPolicy Fold(TenantData data)
    {
        var policy = data.Policy;
        var pending = policy.Pending;
        if (pending.Count == 0)
        {
            return policy;
        }

        var now = time.GetUtcNow();
        var due = 0;
        for (; due < pending.Count && pending[due].EffectiveFrom <= now; due++)
        {
            var change = pending[due];
            switch (change.Kind)
            {
                case ScheduledChangeKind.AllAccounts or ScheduledChangeKind.Everyone:
                    ApplyAll(data, ref policy, change.Setting, includeDefault: change.Kind == ScheduledChangeKind.Everyone);
                    Interlocked.Increment(ref _foldWrites);
                    break;
                case ScheduledChangeKind.Default:
                    ApplyDefault(data, ref policy, change.Setting);
                    Interlocked.Increment(ref _foldWrites);
                    break;
                default:
                    // A selected change sets the listed ids that are accounts at its moment (S11, like update-all's "exist").
                    var accounts = change.AccountIds.Where(id => data.Principals.TryGet(id, out var entry) && entry.Kind == PrincipalKind.Account).ToArray();
                    if (accounts.Length == 0)
                    {
                        ++data.Version;
                    }
                    else
                    {
                        ApplySelected(data, policy, accounts, change.Setting);
                        Interlocked.Add(ref _foldWrites, accounts.Length);
                    }

                    break;
            }
        }

        return due == 0 ? policy : policy with { Pending = pending.Skip(due).ToArray() };
    }

    /// <summary>How many records folding due scheduled changes has replaced (not in <see cref="RecordWrites"/>); lets tests count their cost.</summary>
    internal long FoldWrites => Interlocked.Read(ref _foldWrites);

    /// <summary>Publishes the tenant policy with the last version stamp handed out.</summary>
    private static void Publish(TenantData data, TenantPolicy policy) =>
        data.Policy = policy.Version == data.Version ? policy : policy with { Version = data.Version };

    /// <summary>Update-all (S2), and the default too for enforce-for-everyone (S6): one tenant write, O(1) (S10).</summary>
    private static (long Changed, long Version) ApplyAll(TenantData data, ref TenantPolicy policy, TwoFactorSetting setting, bool includeDefault)
    {
        var changed = data.NonDemoAccounts - data.EffectiveCounts.GetValueOrDefault(setting);
        var version = ++data.Version;
        policy = policy with
        {
            DefaultSetting = includeDefault ? setting : policy.DefaultSetting,
            AllAccountsSetting = setting,
            AllAccountsVersion = version,
        };
        data.EffectiveCounts.Clear();
        if (data.NonDemoAccounts > 0)
        {
            data.EffectiveCounts[setting] = data.NonDemoAccounts;
        }

        return (changed, version);
    }

    /// <summary>Sets exactly the given accounts (S3), all of which exist; moves them between the effective counts.</summary>
    private static (long Changed, long Version) ApplySelected(TenantData data, TenantPolicy policy, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting)
    {
        var changed = CountChanges(data, policy, accountIds, setting);
        var version = ++data.Version;
        foreach (var id in accountIds)
        {
            var old = Existing(data, id).ToAccount(id);
            var updated = old with { Setting = setting, Source = SettingSource.SelectedUpdate, Version = version };
            data.CountAccount(old, policy, -1);
            data.CountAccount(updated, policy, +1);
            data.Principals.Set(id, PrincipalEntry.ForAccount(updated));
        }

        return (changed, version);
    }

    private static long ApplyDefault(TenantData data, ref TenantPolicy policy, TwoFactorSetting setting)
    {
        var version = ++data.Version;
        policy = policy with { DefaultSetting = setting };
        return version;
    }

    /// <summary>Every id that is not an account of the tenant, with why (S8); <see langword="null"/> when all are.</summary>
    private static List<SettingsError>? CheckAccounts(TenantData data, IEnumerable<long> accountIds)
    {
        List<SettingsError>? errors = null;
        foreach (var id in accountIds)
        {
            if (!data.Principals.TryGet(id, out var entry))
            {
                (errors ??= []).Add(new SettingsError(SettingsErrorCode.NotFound, id));
            }
            else if (entry.Kind != PrincipalKind.Account)
            {
                (errors ??= []).Add(new SettingsError(SettingsErrorCode.NotAnAccount, id));
            }
        }

        return errors;
    }

    private static long CountChanges(TenantData data, TenantPolicy policy, IEnumerable<long> accountIds, TwoFactorSetting setting)
    {
        long changed = 0;
        foreach (var id in accountIds)
        {
            var account = Existing(data, id).ToAccount(id);
            if (!account.IsDemo && policy.EffectiveSetting(account).Setting != setting)
            {
                changed++;
            }
        }

        return changed;
    }
}

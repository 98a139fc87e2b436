using System.Collections.Concurrent;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local policy store. Reads are lock-free (one or two dictionary hits and a volatile
/// read), so logins never wait for an update; writes to one tenant are serialised by that tenant's lock and
/// each is O(number of ids it names), update-all O(1).
/// </summary>
internal sealed partial class InMemoryPolicyStore : IPrincipalPolicyStore, IPrincipalDirectoryStore, ISettingsStore
{
    private readonly ConcurrentDictionary<TenantId, TenantData> _tenants = new();
    private long _recordWrites;

    /// <summary>How many records (tenant rows, account rows) writes have replaced; lets tests count the cost of an update.</summary>
    internal long RecordWrites => Interlocked.Read(ref _recordWrites);

    public ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant, out var data))
        {
            return new(PrincipalPolicy.Unknown(principalId, TenantPolicy.Initial));
        }

        // The tenant policy is read after the account: any interleaving with a writer yields an answer that
        // was true at some instant between the two reads.
        return new(data.Find(principalId));
    }

    public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_tenants.TryGetValue(tenant, out var data) ? data.Policy : TenantPolicy.Initial);
    }

    public ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = GetOrAdd(tenant);
        lock (data.Gate)
        {
            if (data.Principals.ContainsKey(accountId))
            {
                return new(DirectoryResult.Failed(DirectoryErrorCode.AlreadyExists));
            }

            var policy = data.Policy;
            var record = new AccountRecord(accountId, origin, isDemo, policy.DefaultSetting, SettingSource.TenantDefault, ++data.Version);
            data.Principals[accountId] = PrincipalEntry.ForAccount(record, firstSubUser: 0);
            data.CountAccount(record, policy, +1);
            CountWrites(1);
            return new(DirectoryResult.AccountAdded(record));
        }
    }

    public ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant, out var data))
        {
            return new(DirectoryResult.Failed(DirectoryErrorCode.AccountNotFound));
        }

        lock (data.Gate)
        {
            if (!data.Principals.TryGetValue(accountId, out var owner) || owner.Kind != PrincipalKind.Account)
            {
                return new(DirectoryResult.Failed(DirectoryErrorCode.AccountNotFound));
            }

            if (data.Principals.ContainsKey(subUserId))
            {
                return new(DirectoryResult.Failed(DirectoryErrorCode.AlreadyExists));
            }

            // The account's sub-users form a list through the entries (no collection per account).
            data.Principals[subUserId] = PrincipalEntry.ForSubUser(accountId, nextSibling: owner.Link);
            data.Principals[accountId] = owner.WithLink(subUserId);
            CountWrites(2);
            return new(DirectoryResult.Done(1));
        }
    }

    public ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant, out var data))
        {
            return new(DirectoryResult.Failed(DirectoryErrorCode.NotFound));
        }

        lock (data.Gate)
        {
            if (!data.Principals.TryRemove(principalId, out var entry))
            {
                return new(DirectoryResult.Failed(DirectoryErrorCode.NotFound));
            }

            List<long> removed = [principalId];
            if (entry.Kind == PrincipalKind.SubUser)
            {
                data.Unlink(entry.AccountId, principalId, entry.Link);
            }
            else
            {
                data.CountAccount(entry.ToAccount(principalId), data.Policy, -1);
                for (var subUserId = entry.Link; subUserId != 0 && data.Principals.TryRemove(subUserId, out var subUser); subUserId = subUser.Link)
                {
                    removed.Add(subUserId);
                }
            }

            CountWrites(removed.Count);
            return new(DirectoryResult.Removed(removed));
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = dryRun ? _tenants.GetValueOrDefault(tenant) : GetOrAdd(tenant);
        if (data is null)
        {
            return new(SettingsUpdateResult.WouldApply(0));
        }

        lock (data.Gate)
        {
            var changed = data.NonDemoAccounts - data.EffectiveCounts.GetValueOrDefault(setting);
            if (dryRun)
            {
                return new(SettingsUpdateResult.WouldApply(changed));
            }

            var version = ++data.Version;
            var policy = data.Policy;
            data.Policy = new TenantPolicy(includeDefault ? setting : policy.DefaultSetting, setting, version);
            data.EffectiveCounts.Clear();
            if (data.NonDemoAccounts > 0)
            {
                data.EffectiveCounts[setting] = data.NonDemoAccounts;
            }

            CountWrites(1);
            return new(SettingsUpdateResult.Applied(changed, version));
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            throw new ArgumentException("Name at least one account id.", nameof(accountIds));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!_tenants.TryGetValue(tenant, out var data))
        {
            return new(SettingsUpdateResult.Rejected(accountIds.Select(id => new SettingsError(SettingsErrorCode.NotFound, id)).ToArray(), dryRun));
        }

        lock (data.Gate)
        {
            List<SettingsError>? errors = null;
            foreach (var id in accountIds)
            {
                if (!data.Principals.TryGetValue(id, out var entry))
                {
                    (errors ??= []).Add(new SettingsError(SettingsErrorCode.NotFound, id));
                }
                else if (entry.Kind != PrincipalKind.Account)
                {
                    (errors ??= []).Add(new SettingsError(SettingsErrorCode.NotAnAccount, id));
                }
            }

            if (errors is not null)
            {
                return new(SettingsUpdateResult.Rejected(errors, dryRun));
            }

            var policy = data.Policy;
            long changed = 0;
            foreach (var id in accountIds)
            {
                var account = data.Principals[id].ToAccount(id);
                if (!account.IsDemo && policy.EffectiveSetting(account).Setting != setting)
                {
                    changed++;
                }
            }

            if (dryRun)
            {
                return new(SettingsUpdateResult.WouldApply(changed));
            }

            var version = ++data.Version;
            foreach (var id in accountIds)
            {
                var entry = data.Principals[id];
                var old = entry.ToAccount(id);
                var updated = old with { Setting = setting, Source = SettingSource.SelectedUpdate, Version = version };
                data.CountAccount(old, policy, -1);
                data.CountAccount(updated, policy, +1);
                data.Principals[id] = PrincipalEntry.ForAccount(updated, entry.Link);
            }

            CountWrites(accountIds.Count);
            return new(SettingsUpdateResult.Applied(changed, version));
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (dryRun)
        {
            return new(SettingsUpdateResult.WouldApply(0));
        }

        var data = GetOrAdd(tenant);
        lock (data.Gate)
        {
            var version = ++data.Version;
            data.Policy = data.Policy with { DefaultSetting = setting };
            CountWrites(1);
            return new(SettingsUpdateResult.Applied(0, version));
        }
    }

    private TenantData GetOrAdd(TenantId tenant) => _tenants.GetOrAdd(tenant, static _ => new TenantData());

    private void CountWrites(long count) => Interlocked.Add(ref _recordWrites, count);
}

using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// The default, process-local policy store. Reads are lock-free (one or two probes of the tenant's open-addressing
/// <see cref="PrincipalTable"/> and a volatile read), so logins never wait for an update longer than the write of the
/// one entry they read; writes to one tenant are serialised by that tenant's lock and each is O(number of ids it
/// names), update-all O(1).
/// </summary>
internal sealed partial class InMemoryPolicyStore : IPrincipalPolicyStore, IPrincipalDirectoryStore, ISettingsStore, IScheduledSettingsStore
{
    private TenantTable<TenantData> _tenants = new(); // not readonly: a struct held in place (see TenantTable)
    private readonly InMemoryAuditTrail _trail;
    private readonly TimeProvider time;
    private long _recordWrites;

    /// <summary>A store on the system clock with an audit trail of its own.</summary>
    public InMemoryPolicyStore()
        : this(TimeProvider.System, new InMemoryAuditTrail())
    {
    }

    /// <summary>A store on <paramref name="time"/> (due scheduled changes, policy.md S11) with an audit trail of its own.</summary>
    public InMemoryPolicyStore(TimeProvider time)
        : this(time, new InMemoryAuditTrail())
    {
    }

    /// <summary>A store appending its settings changes to <paramref name="trail"/> (the engine's audit trail).</summary>
    public InMemoryPolicyStore(InMemoryAuditTrail trail)
        : this(TimeProvider.System, trail)
    {
    }

    /// <summary>A store on <paramref name="time"/> appending its settings changes to <paramref name="trail"/>.</summary>
    public InMemoryPolicyStore(TimeProvider time, InMemoryAuditTrail trail)
    {
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        _trail = trail ?? throw new ArgumentNullException(nameof(trail));
    }

    /// <summary>How many records (tenant rows, account rows) writes have replaced; lets tests count the cost of an update.</summary>
    internal long RecordWrites => Interlocked.Read(ref _recordWrites);

    public ValueTask<PrincipalPolicy> FindPrincipalAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = _tenants.Find(tenant.Value);

        // The tenant policy is read after the account: any interleaving with a writer yields an answer that
        // was true at some instant between the two reads.
        return new(data is null ? PrincipalPolicy.Unknown(principalId, TenantPolicy.Initial) : data.Find(principalId));
    }

    /// <summary>
    /// The pure resolver's answer for what <see cref="FindPrincipalAsync"/> reads, without the snapshot or the
    /// <see cref="ValueTask{TResult}"/>: the resolver's fast path. The clock is read only when the tenant has scheduled changes
    /// (without one the moment decides nothing, and a clock read costs more than the table read and the resolver together).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Requirement Resolve(TenantId tenant, long principalId, TimeProvider clock)
    {
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            return Requirement.UnknownPrincipal(principalId);
        }

        // Read in the order FindPrincipalAsync reads: the slots, the tenant policy, then the entries.
        var slots = data.Principals.Slots;
        var policy = data.Policy;
        return TenantData.Resolve(slots, principalId, policy, policy.HasPending ? clock.GetUtcNow() : default);
    }

    /// <summary>What <see cref="FindPrincipalAsync"/> answers, without the <see cref="ValueTask{TResult}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal PrincipalPolicy Find(TenantId tenant, long principalId) =>
        _tenants.Find(tenant.Value) is { } data ? data.Find(principalId) : PrincipalPolicy.Unknown(principalId, TenantPolicy.Initial);

    public ValueTask<TenantPolicy> GetTenantAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_tenants.Find(tenant.Value)?.Policy ?? TenantPolicy.Initial);
    }

    public ValueTask<DirectoryResult> AddAccountAsync(TenantId tenant, long accountId, AccountOrigin origin, bool isDemo, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = GetOrAdd(tenant);
        lock (data.Gate)
        {
            var policy = Fold(data);
            if (data.Principals.Contains(accountId))
            {
                Publish(data, policy);
                return new(DirectoryResult.Failed(DirectoryErrorCode.AlreadyExists));
            }

            var record = new AccountRecord(accountId, origin, isDemo, policy.DefaultSetting, SettingSource.TenantDefault, ++data.Version);
            data.Principals.Set(accountId, PrincipalEntry.ForAccount(record));
            data.CountAccount(record, policy, +1);
            data.SortedIds = null;
            CountWrites(1);
            Publish(data, policy);
            return new(DirectoryResult.AccountAdded(record));
        }
    }

    public ValueTask<DirectoryResult> AddSubUserAsync(TenantId tenant, long subUserId, long accountId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            return new(DirectoryResult.Failed(DirectoryErrorCode.AccountNotFound));
        }

        lock (data.Gate)
        {
            var policy = Fold(data);
            var result = DirectoryResult.Failed(DirectoryErrorCode.AccountNotFound);
            if (data.Principals.TryGet(accountId, out var owner) && owner.Kind == PrincipalKind.Account)
            {
                result = DirectoryResult.Failed(DirectoryErrorCode.AlreadyExists);
                if (!data.Principals.Contains(subUserId))
                {
                    // The account's sub-users form a list through the entries (no collection per account).
                    data.Principals.Set(subUserId, PrincipalEntry.ForSubUser(accountId));
                    data.SetLink(subUserId, data.LinkOf(accountId));
                    data.SetLink(accountId, subUserId);
                    data.SortedIds = null;
                    CountWrites(2);
                    result = DirectoryResult.Done(1, ++data.Version);
                }
            }

            Publish(data, policy);
            return new(result);
        }
    }

    public ValueTask<DirectoryResult> RemoveAsync(TenantId tenant, long principalId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            return new(DirectoryResult.Failed(DirectoryErrorCode.NotFound));
        }

        lock (data.Gate)
        {
            var policy = Fold(data);
            if (!data.Principals.Remove(principalId, out var entry))
            {
                Publish(data, policy);
                return new(DirectoryResult.Failed(DirectoryErrorCode.NotFound));
            }

            List<long> removed = [principalId];
            if (entry.Kind == PrincipalKind.SubUser)
            {
                data.Unlink(entry.AccountId, principalId);
            }
            else
            {
                data.CountAccount(entry.ToAccount(principalId), policy, -1);
                var subUserId = data.LinkOf(principalId);
                data.Links.Remove(principalId);
                while (subUserId != 0 && data.Principals.Remove(subUserId, out _))
                {
                    removed.Add(subUserId);
                    var next = data.LinkOf(subUserId);
                    data.Links.Remove(subUserId);
                    subUserId = next;
                }
            }

            data.SortedIds = null;
            CountWrites(removed.Count);
            var result = DirectoryResult.Removed(removed, ++data.Version);
            Publish(data, policy);
            return new(result);
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateAllAsync(TenantId tenant, TwoFactorSetting setting, bool includeDefault, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var data = dryRun ? _tenants.Find(tenant.Value) : GetOrAdd(tenant);
        if (data is null)
        {
            return new(SettingsUpdateResult.WouldApply(0));
        }

        lock (data.Gate)
        {
            var policy = Fold(data);
            SettingsUpdateResult result;
            if (dryRun)
            {
                result = SettingsUpdateResult.WouldApply(data.NonDemoAccounts - data.EffectiveCounts.GetValueOrDefault(setting));
            }
            else
            {
                var before = policy;
                var countsBefore = new Dictionary<TwoFactorSetting, long>(data.EffectiveCounts);
                var (changed, version) = ApplyAll(data, ref policy, setting, includeDefault);
                _trail.Append(new AuditEntry
                {
                    Tenant = tenant,
                    Moment = audit.Moment,
                    Actor = audit.Actor,
                    Operation = includeDefault ? AuditOperation.EnforceForEveryone : AuditOperation.UpdateAll,
                    SettingBefore = before.AllAccountsSetting,
                    SettingAfter = setting,
                    DefaultBefore = includeDefault ? before.DefaultSetting : null,
                    AccountsBefore = countsBefore,
                    Version = version,
                });
                CountWrites(1);
                result = SettingsUpdateResult.Applied(changed, version);
            }

            Publish(data, policy);
            return new(result);
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateSelectedAsync(TenantId tenant, IReadOnlyCollection<long> accountIds, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            throw new ArgumentException("Name at least one account id.", nameof(accountIds));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            return new(SettingsUpdateResult.Rejected(accountIds.Select(id => new SettingsError(SettingsErrorCode.NotFound, id)).ToArray(), dryRun));
        }

        lock (data.Gate)
        {
            var policy = Fold(data);
            SettingsUpdateResult result;
            if (CheckAccounts(data, accountIds) is { } errors)
            {
                result = SettingsUpdateResult.Rejected(errors, dryRun);
            }
            else if (dryRun)
            {
                result = SettingsUpdateResult.WouldApply(CountChanges(data, policy, accountIds, setting));
            }
            else
            {
                var before = new Dictionary<TwoFactorSetting, long>();
                foreach (var id in accountIds)
                {
                    var account = Existing(data, id).ToAccount(id);
                    if (!account.IsDemo)
                    {
                        var effective = policy.EffectiveSetting(account).Setting;
                        before[effective] = before.GetValueOrDefault(effective) + 1;
                    }
                }

                var (changed, version) = ApplySelected(data, policy, accountIds, setting);
                _trail.Append(new AuditEntry
                {
                    Tenant = tenant,
                    Moment = audit.Moment,
                    Actor = audit.Actor,
                    Operation = AuditOperation.UpdateSelected,
                    AccountIds = [.. accountIds],
                    SettingAfter = setting,
                    AccountsBefore = before,
                    Version = version,
                });
                CountWrites(accountIds.Count);
                result = SettingsUpdateResult.Applied(changed, version);
            }

            Publish(data, policy);
            return new(result);
        }
    }

    public ValueTask<SettingsUpdateResult> UpdateDefaultAsync(TenantId tenant, TwoFactorSetting setting, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (dryRun)
        {
            return new(SettingsUpdateResult.WouldApply(0));
        }

        var data = GetOrAdd(tenant);
        lock (data.Gate)
        {
            var policy = Fold(data);
            var defaultBefore = policy.DefaultSetting;
            var version = ApplyDefault(data, ref policy, setting);
            _trail.Append(new AuditEntry
            {
                Tenant = tenant,
                Moment = audit.Moment,
                Actor = audit.Actor,
                Operation = AuditOperation.UpdateDefault,
                SettingBefore = defaultBefore,
                SettingAfter = setting,
                Version = version,
            });
            CountWrites(1);
            Publish(data, policy);
            return new(SettingsUpdateResult.Applied(0, version));
        }
    }

    private static PrincipalEntry Existing(TenantData data, long id) =>
        data.Principals.TryGet(id, out var entry) ? entry : throw new InvalidOperationException("A checked principal vanished under the tenant's lock.");

    private TenantData GetOrAdd(TenantId tenant) => _tenants.GetOrAdd(tenant.Value, static () => new TenantData());

    private void CountWrites(long count) => Interlocked.Add(ref _recordWrites, count);
}

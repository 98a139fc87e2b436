using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// Scheduled settings changes of the in-memory policy store (policy.md S11): kept in the tenant policy, in order. Scheduling and
/// cancelling append their audit-trail entries under the tenant's lock (A2).
/// </summary>
internal sealed partial class InMemoryPolicyStore
{
    public ValueTask<SettingsUpdateResult> ScheduleAsync(TenantId tenant, ScheduledChange change, bool dryRun, AuditContext audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        var selected = change.Kind == ScheduledChangeKind.SelectedAccounts;
        var data = dryRun || selected ? _tenants.Find(tenant.Value) : GetOrAdd(tenant);
        if (data is null)
        {
            return new(selected
                ? SettingsUpdateResult.Rejected(change.AccountIds.Select(id => new SettingsError(SettingsErrorCode.NotFound, id)).ToArray(), dryRun)
                : SettingsUpdateResult.WouldApply(0));
        }

        lock (data.Gate)
        {
            var policy = Fold(data);
            SettingsUpdateResult result;
            if (selected && CheckAccounts(data, change.AccountIds) is { } errors)
            {
                result = SettingsUpdateResult.Rejected(errors, dryRun);
            }
            else if (policy.Pending.Count >= TwoFactorOptions.MaxPendingChanges)
            {
                result = SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.TooManyScheduled)], dryRun);
            }
            else if (dryRun)
            {
                result = SettingsUpdateResult.WouldApply(0);
            }
            else
            {
                var stored = new ScheduledChange(++data.Version, change.EffectiveFrom, change.Kind, change.Setting, change.AccountIds);

                // Its id is the largest yet, so it goes after every change of the same or an earlier moment (acceptance order).
                var pending = policy.Pending;
                var at = 0;
                while (at < pending.Count && pending[at].EffectiveFrom <= stored.EffectiveFrom)
                {
                    at++;
                }

                _trail.Append(ScheduledChangeEntries.Scheduled(tenant, audit, stored, policy, selected ? AccountsBefore(data, policy, stored) : null));
                policy = policy with { Pending = [.. pending.Take(at), stored, .. pending.Skip(at)] };
                CountWrites(1);
                result = SettingsUpdateResult.ScheduledFor(stored);
            }

            Publish(data, policy);
            return new(result);
        }
    }

    public ValueTask<IReadOnlyList<ScheduledChange>> ListScheduledAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        IReadOnlyList<ScheduledChange> pending = _tenants.Find(tenant.Value)?.Policy.Pending.Where(c => c.EffectiveFrom > now).ToArray() ?? [];
        return new(pending);
    }

    public ValueTask<SettingsUpdateResult> CancelScheduledAsync(TenantId tenant, long changeId, AuditContext audit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var notFound = SettingsUpdateResult.Rejected([new SettingsError(SettingsErrorCode.NotFound, changeId)]);
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            return new(notFound);
        }

        lock (data.Gate)
        {
            var policy = Fold(data);
            var result = notFound;
            if (policy.Pending.FirstOrDefault(c => c.Id == changeId) is { } cancelled)
            {
                policy = policy with { Pending = policy.Pending.Where(c => c.Id != changeId).ToArray() };
                CountWrites(1);
                result = SettingsUpdateResult.Applied(0, ++data.Version);
                _trail.Append(ScheduledChangeEntries.Cancelled(tenant, audit, cancelled, result.Version));
            }

            Publish(data, policy);
            return new(result);
        }
    }

    /// <summary>How many of a selected change's non-demo accounts will hold each setting just before its moment, as scheduled now.</summary>
    private static Dictionary<TwoFactorSetting, long> AccountsBefore(TenantData data, TenantPolicy policy, ScheduledChange change)
    {
        var before = new Dictionary<TwoFactorSetting, long>();
        foreach (var id in change.AccountIds)
        {
            var account = Existing(data, id).ToAccount(id);
            if (!account.IsDemo)
            {
                var setting = policy.EffectiveSetting(account, change.EffectiveFrom).Setting;
                before[setting] = before.GetValueOrDefault(setting) + 1;
            }
        }

        return before;
    }
}

using System.Collections.Concurrent;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>The in-memory policy store's per-tenant data and packed per-principal entries.</summary>
internal sealed partial class InMemoryPolicyStore
{
    private sealed class TenantData
    {
        private volatile TenantPolicy _policy = TenantPolicy.Initial;

        /// <summary>Serialises writers of this tenant; readers never take it.</summary>
        public object Gate { get; } = new();

        public TenantPolicy Policy
        {
            get => _policy;
            set => _policy = value;
        }

        /// <summary>The last version stamp handed out (guarded by <see cref="Gate"/>).</summary>
        public long Version { get; set; }

        public ConcurrentDictionary<long, PrincipalEntry> Principals { get; } = new();

        /// <summary>Non-demo accounts per effective setting, so update-all can count its changes in O(1) (guarded by <see cref="Gate"/>).</summary>
        public Dictionary<TwoFactorSetting, long> EffectiveCounts { get; } = [];

        public long NonDemoAccounts { get; private set; }

        public PrincipalPolicy Find(long principalId)
        {
            if (!Principals.TryGetValue(principalId, out var entry))
            {
                return PrincipalPolicy.Unknown(principalId, Policy);
            }

            if (entry.Kind == PrincipalKind.Account)
            {
                return new PrincipalPolicy(principalId, PrincipalKind.Account, entry.ToAccount(principalId), Policy);
            }

            return Principals.TryGetValue(entry.AccountId, out var owner) && owner.Kind == PrincipalKind.Account
                ? new PrincipalPolicy(principalId, PrincipalKind.SubUser, owner.ToAccount(entry.AccountId), Policy)
                : PrincipalPolicy.Unknown(principalId, Policy);
        }

        /// <summary>Takes a sub-user out of its account's list (guarded by <see cref="Gate"/>).</summary>
        public void Unlink(long accountId, long subUserId, long next)
        {
            if (!Principals.TryGetValue(accountId, out var previous))
            {
                return;
            }

            var previousId = accountId;
            while (previous.Link != subUserId)
            {
                previousId = previous.Link;
                if (previousId == 0 || !Principals.TryGetValue(previousId, out previous))
                {
                    return;
                }
            }

            Principals[previousId] = previous.WithLink(next);
        }

        public void CountAccount(in AccountRecord account, TenantPolicy policy, int delta)
        {
            if (account.IsDemo)
            {
                return;
            }

            NonDemoAccounts += delta;
            var setting = policy.EffectiveSetting(account).Setting;
            var count = EffectiveCounts.GetValueOrDefault(setting) + delta;
            if (count == 0)
            {
                EffectiveCounts.Remove(setting);
            }
            else
            {
                EffectiveCounts[setting] = count;
            }
        }
    }

    /// <summary>
    /// One principal as stored, packed small because a tenant may hold millions: an account's record (its id is
    /// the dictionary key), or a sub-user pointing at its account. <see cref="Link"/> chains an account's
    /// sub-users: for an account the first sub-user's id, for a sub-user the next sibling's; 0 ends the list.
    /// </summary>
    private sealed class PrincipalEntry
    {
        private const int SubUserBit = 1;
        private const int ImportedBit = 1 << 1;
        private const int DemoBit = 1 << 2;
        private const int AllowedBit = 1 << 3;
        private const int SourceShift = 4;
        private const int FactorsShift = 8;

        private readonly long _versionOrAccountId;
        private readonly int _packed;

        private PrincipalEntry(long versionOrAccountId, long link, int packed)
        {
            _versionOrAccountId = versionOrAccountId;
            Link = link;
            _packed = packed;
        }

        public PrincipalKind Kind => (_packed & SubUserBit) != 0 ? PrincipalKind.SubUser : PrincipalKind.Account;

        /// <summary>For a sub-user, its account.</summary>
        public long AccountId => _versionOrAccountId;

        public long Link { get; }

        public static PrincipalEntry ForAccount(in AccountRecord account, long firstSubUser) => new(
            account.Version,
            firstSubUser,
            (account.Origin == AccountOrigin.Imported ? ImportedBit : 0)
                | (account.IsDemo ? DemoBit : 0)
                | (account.Setting.IsAllowed ? AllowedBit : 0)
                | ((int)account.Source << SourceShift)
                | ((int)account.Setting.Factors << FactorsShift));

        public static PrincipalEntry ForSubUser(long accountId, long nextSibling) => new(accountId, nextSibling, SubUserBit);

        public PrincipalEntry WithLink(long link) => new(_versionOrAccountId, link, _packed);

        public AccountRecord ToAccount(long id)
        {
            var factors = (FactorTypes)(_packed >> FactorsShift);
            return new AccountRecord(
                id,
                (_packed & ImportedBit) != 0 ? AccountOrigin.Imported : AccountOrigin.Created,
                (_packed & DemoBit) != 0,
                (_packed & AllowedBit) != 0 ? TwoFactorSetting.Allowed(factors) : TwoFactorSetting.Disallowed,
                (SettingSource)((_packed >> SourceShift) & 0xF),
                _versionOrAccountId);
        }
    }
}

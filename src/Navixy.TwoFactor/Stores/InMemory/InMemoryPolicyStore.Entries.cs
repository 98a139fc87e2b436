using System.Runtime.CompilerServices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>The in-memory policy store's per-tenant data and packed per-principal entries.</summary>
internal sealed partial class InMemoryPolicyStore
{
    internal sealed class TenantData
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

        /// <summary>
        /// The principals; read lock-free, written under <see cref="Gate"/>. A field holding the table in place (not a property,
        /// which would hand out copies): see <see cref="PrincipalTable"/>.
        /// </summary>
        public PrincipalTable Principals = new();

        /// <summary>
        /// An account's sub-users as a list: an account maps to its first sub-user, a sub-user to its next sibling;
        /// a missing key ends the list (guarded by <see cref="Gate"/>; readers never need it).
        /// </summary>
        public Dictionary<long, long> Links { get; } = [];

        /// <summary>Non-demo accounts per effective setting, so update-all can count its changes in O(1) (guarded by <see cref="Gate"/>).</summary>
        public Dictionary<TwoFactorSetting, long> EffectiveCounts { get; } = [];

        public long NonDemoAccounts { get; private set; }

        /// <summary>
        /// Every principal id in ascending order, for the directory listing; <see langword="null"/> after a registration or
        /// removal until the next listing sorts them again (guarded by <see cref="Gate"/>).
        /// </summary>
        public long[]? SortedIds { get; set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PrincipalPolicy Find(long principalId) => Find(Principals.Slots, principalId, Policy);

        /// <summary>Reads one principal from one array of slots, with the tenant policy read after the entries.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static PrincipalPolicy Find(PrincipalTable.Slot[] slots, long principalId, TenantPolicy policy)
        {
            return PrincipalTable.TryGet(slots, principalId, out var entry)
                ? Snapshot(slots, principalId, entry, policy)
                : PrincipalPolicy.Unknown(principalId, policy);
        }

        /// <summary>The snapshot of a principal whose entry was read from <paramref name="slots"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static PrincipalPolicy Snapshot(PrincipalTable.Slot[] slots, long principalId, PrincipalEntry entry, TenantPolicy policy)
        {
            if (entry.Kind == PrincipalKind.Account)
            {
                return new PrincipalPolicy(principalId, PrincipalKind.Account, entry.ToAccount(principalId), policy);
            }

            return PrincipalTable.TryGet(slots, entry.AccountId, out var owner) && owner.Kind == PrincipalKind.Account
                ? new PrincipalPolicy(principalId, PrincipalKind.SubUser, owner.ToAccount(entry.AccountId), policy)
                : PrincipalPolicy.Unknown(principalId, policy);
        }

        /// <summary>
        /// Resolves one principal from one array of slots, reading what <see cref="Find(PrincipalTable.Slot[], long, TenantPolicy)"/>
        /// reads and answering what the pure resolver answers for that snapshot at <paramref name="at"/>, without building it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Requirement Resolve(PrincipalTable.Slot[] slots, long principalId, TenantPolicy policy, DateTimeOffset at) =>
            PrincipalTable.TryGet(slots, principalId, out var entry)
                ? Resolve(slots, principalId, entry, policy, at)
                : Requirement.UnknownPrincipal(principalId);

        /// <summary>Resolves a principal whose entry was read from <paramref name="slots"/> (see <see cref="Snapshot"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Requirement Resolve(PrincipalTable.Slot[] slots, long principalId, PrincipalEntry entry, TenantPolicy policy, DateTimeOffset at)
        {
            var kind = PrincipalKind.Account;
            var accountId = principalId;
            if (entry.Kind != PrincipalKind.Account)
            {
                kind = PrincipalKind.SubUser;
                accountId = entry.AccountId;
                if (!PrincipalTable.TryGet(slots, accountId, out entry) || entry.Kind != PrincipalKind.Account)
                {
                    return Requirement.UnknownPrincipal(principalId);
                }
            }

            return TwoFactorResolver.Resolve(principalId, kind, entry.ToAccount(accountId), policy, at);
        }

        public long LinkOf(long principalId) => Links.GetValueOrDefault(principalId);

        public void SetLink(long principalId, long next)
        {
            if (next == 0)
            {
                Links.Remove(principalId);
            }
            else
            {
                Links[principalId] = next;
            }
        }

        /// <summary>Takes a sub-user out of its account's list (guarded by <see cref="Gate"/>).</summary>
        public void Unlink(long accountId, long subUserId)
        {
            var next = LinkOf(subUserId);
            Links.Remove(subUserId);
            for (var previousId = accountId; previousId != 0; previousId = LinkOf(previousId))
            {
                if (LinkOf(previousId) == subUserId)
                {
                    SetLink(previousId, next);
                    return;
                }
            }
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
    /// One principal as stored, packed into two words because a tenant may hold millions: an account's record (its
    /// id is the table key), or a sub-user pointing at its account. An account's sub-users are listed in
    /// <see cref="TenantData.Links"/>, which readers never need.
    /// </summary>
    internal readonly struct PrincipalEntry
    {
        private const int SubUserBit = 1;
        private const int ImportedBit = 1 << 1;
        private const int DemoBit = 1 << 2;
        private const int AllowedBit = 1 << 3;
        private const int SourceShift = 4;
        private const int FactorsShift = 8;

        public PrincipalEntry(long value, int packed)
        {
            Value = value;
            Packed = packed;
        }

        /// <summary>For an account, the version stamp of its setting; for a sub-user, its account's id.</summary>
        public long Value { get; }

        /// <summary>Kind, origin, demo flag, setting and its source, as bits.</summary>
        public int Packed { get; }

        public PrincipalKind Kind => (Packed & SubUserBit) != 0 ? PrincipalKind.SubUser : PrincipalKind.Account;

        /// <summary>For a sub-user, its account.</summary>
        public long AccountId => Value;

        public static PrincipalEntry ForAccount(in AccountRecord account) => new(
            account.Version,
            (account.Origin == AccountOrigin.Imported ? ImportedBit : 0)
                | (account.IsDemo ? DemoBit : 0)
                | (account.Setting.IsAllowed ? AllowedBit : 0)
                | ((int)account.Source << SourceShift)
                | ((int)account.Setting.Factors << FactorsShift));

        public static PrincipalEntry ForSubUser(long accountId) => new(accountId, SubUserBit);

        public AccountRecord ToAccount(long id)
        {
            var factors = (FactorTypes)(Packed >> FactorsShift);
            return new AccountRecord(
                id,
                (Packed & ImportedBit) != 0 ? AccountOrigin.Imported : AccountOrigin.Created,
                (Packed & DemoBit) != 0,
                (Packed & AllowedBit) != 0 ? TwoFactorSetting.Allowed(factors) : TwoFactorSetting.Disallowed,
                (SettingSource)((Packed >> SourceShift) & 0xF),
                Value);
        }
    }
}

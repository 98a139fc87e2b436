using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>Bulk reads of the in-memory policy store: a page of principals, or a whole tenant in table order.</summary>
internal sealed partial class InMemoryPolicyStore
{
    /// <summary>Resolves each of <paramref name="principalIds"/> into the same position of <paramref name="answers"/>.</summary>
    internal void ResolveMany(TenantId tenant, ReadOnlySpan<long> principalIds, Span<Requirement> answers, DateTimeOffset at)
    {
        answers = answers[..principalIds.Length];
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            for (var i = 0; i < principalIds.Length; i++)
            {
                answers[i] = Requirement.UnknownPrincipal(principalIds[i]);
            }

            return;
        }

        var slots = data.Principals.Slots;
        for (var i = 0; i < principalIds.Length; i++)
        {
            answers[i] = TenantData.Resolve(slots, principalIds[i], data.Policy, at);
        }
    }

    /// <summary>The slots of a tenant's principal table as readers see them now (empty for a tenant never written to); for diagnostics.</summary>
    internal PrincipalTable.Slot[] SlotsOf(TenantId tenant) => _tenants.Find(tenant.Value)?.Principals.Slots ?? [];

    /// <summary>The tenant's policy as readers see it now; for diagnostics.</summary>
    internal TenantPolicy PolicyOf(TenantId tenant) => _tenants.Find(tenant.Value)?.Policy ?? TenantPolicy.Initial;

    /// <summary>Starts a walk over every principal of a tenant (none for a tenant never written to).</summary>
    internal TenantScan ScanTenant(TenantId tenant, DateTimeOffset at) => new(_tenants.Find(tenant.Value), at);

    /// <summary>
    /// A walk over one array of a tenant's slots. Principals present for the whole walk are answered exactly once; one
    /// added or removed meanwhile may or may not be. Each answer was true at some instant during the walk.
    /// </summary>
    internal sealed class TenantScan
    {
        private readonly TenantData? _data;
        private readonly PrincipalTable.Slot[] _slots;
        private readonly DateTimeOffset _at;
        private int _next;

        internal TenantScan(TenantData? data, DateTimeOffset at)
        {
            _at = at;
            _data = data;
            _slots = _data?.Principals.Slots ?? [];
        }

        /// <summary>Fills <paramref name="answers"/> with the next principals' answers; 0 when the walk is over.</summary>
        public int Next(Span<Requirement> answers)
        {
            var count = 0;
            var slots = _slots;
            while (count < answers.Length && _next < slots.Length)
            {
                if (PrincipalTable.TryRead(ref slots[_next++], out var id, out var entry))
                {
                    answers[count++] = TenantData.Resolve(slots, id, entry, _data!.Policy, _at);
                }
            }

            return count;
        }
    }
}

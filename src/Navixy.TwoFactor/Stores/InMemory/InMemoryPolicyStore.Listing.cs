using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>The directory listing of the in-memory policy store: a tenant's principals in id order, in pages.</summary>
internal sealed partial class InMemoryPolicyStore
{
    public ValueTask<DirectoryPage> ListAsync(TenantId tenant, long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        if (_tenants.Find(tenant.Value) is not { } data)
        {
            return new(new DirectoryPage([], null));
        }

        // The page is read under the tenant's lock, so that it is one state of the directory. The sorted ids are kept until
        // the next registration or removal: walking a quiet tenant costs a binary search and the page per call.
        lock (data.Gate)
        {
            var ids = data.SortedIds ??= SortIds(in data.Principals);
            var start = Array.BinarySearch(ids, afterId);
            start = start >= 0 ? start + 1 : ~start;
            var end = (int)Math.Min(ids.Length, (long)start + limit);
            var entries = new DirectoryEntry[end - start];
            for (var i = start; i < end; i++)
            {
                entries[i - start] = Entry(data, ids[i]);
            }

            return new(new DirectoryPage(entries, end < ids.Length ? ids[end - 1] : null));
        }
    }

    private static long[] SortIds(in PrincipalTable principals)
    {
        var ids = new List<long>(principals.Count);
        var slots = principals.Slots;
        for (var i = 0; i < slots.Length; i++)
        {
            if (PrincipalTable.TryRead(ref slots[i], out var id, out _))
            {
                ids.Add(id);
            }
        }

        var sorted = ids.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static DirectoryEntry Entry(TenantData data, long id)
    {
        var entry = Existing(data, id);
        var accountId = entry.Kind == PrincipalKind.Account ? id : entry.AccountId;
        var account = Existing(data, accountId).ToAccount(accountId);
        return new DirectoryEntry(id, entry.Kind, accountId, account.Origin, account.IsDemo);
    }
}

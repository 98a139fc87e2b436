using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// Tenants by id, insert-only: open addressing over (id, value) slots. Readers take no lock; a writer fills the
/// value before publishing the id, so a reader that sees the id sees the value. Adds are serialised by a lock
/// and grow the array by copying (tenants are added rarely, read on every login).
/// </summary>
/// <typeparam name="T">What is kept per tenant.</typeparam>
/// <remarks>
/// A struct, held in place in its owner's field (never copied: a copy's adds would go nowhere), so a reader goes from the
/// owner straight to the slots, one dependent load less on every resolve.
/// </remarks>
internal struct TenantTable<T>
    where T : class
{
    private readonly object _gate;
    private Slot[] _slots;
    private int _count;

    /// <summary>An empty table.</summary>
    public TenantTable()
    {
        _gate = new();
        _slots = new Slot[16];
    }

    /// <summary>Finds a tenant's value without taking a lock; ids are positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T? Find(long id)
    {
        var slots = Volatile.Read(ref Unsafe.AsRef(in _slots));
        var mask = slots.Length - 1;
        ref var first = ref MemoryMarshal.GetArrayDataReference(slots);
        for (var i = TableHash.Home(id, mask); ; i = (i + 1) & mask)
        {
            ref var slot = ref Unsafe.Add(ref first, i);
            var key = Volatile.Read(ref slot.Key);
            if (key == id)
            {
                return slot.Value;
            }

            if (key == 0)
            {
                return null;
            }
        }
    }

    /// <summary>Answers the tenant's value, adding the one <paramref name="create"/> makes when there is none.</summary>
    public T GetOrAdd(long id, Func<T> create)
    {
        if (Find(id) is { } found)
        {
            return found;
        }

        lock (_gate)
        {
            if (Find(id) is { } raced)
            {
                return raced;
            }

            var value = create();
            if ((_count + 1) * 2 > _slots.Length)
            {
                var grown = new Slot[_slots.Length * 2];
                foreach (var slot in _slots)
                {
                    if (slot.Key != 0)
                    {
                        Place(grown, slot.Key, slot.Value!);
                    }
                }

                Volatile.Write(ref _slots, grown);
            }

            Place(_slots, id, value);
            _count++;
            return value;
        }
    }

    private static void Place(Slot[] slots, long id, T value)
    {
        var mask = slots.Length - 1;
        var i = TableHash.Home(id, mask);
        while (slots[i].Key != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i].Value = value;
        Volatile.Write(ref slots[i].Key, id);
    }

    private struct Slot
    {
        internal long Key;
        internal T? Value;
    }
}

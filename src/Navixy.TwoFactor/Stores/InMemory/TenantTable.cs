using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// Tenants by id, insert-only: open addressing over (id, value) slots. Readers take no lock; a writer fills the
/// value before publishing the id, so a reader that sees the id sees the value. Adds are serialised by a lock
/// and grow the array by copying (tenants are added rarely, read on every login).
/// </summary>
/// <typeparam name="T">What is kept per tenant.</typeparam>
internal sealed class TenantTable<T>
    where T : class
{
    private readonly object _gate = new();
    private Slot[] _slots = new Slot[16];
    private int _count;

    /// <summary>Finds a tenant's value without taking a lock; ids are positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T? Find(long id)
    {
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        ref var first = ref MemoryMarshal.GetArrayDataReference(slots);
        for (var i = Home(id, mask); ; i = (i + 1) & mask)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(long id, int mask) => (int)((ulong)id * 0x9E3779B97F4A7C15UL >> 32) & mask;

    private static void Place(Slot[] slots, long id, T value)
    {
        var mask = slots.Length - 1;
        var i = Home(id, mask);
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

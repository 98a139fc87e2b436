using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PrincipalEntry = Navixy.TwoFactor.Stores.InMemory.InMemoryPolicyStore.PrincipalEntry;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>
/// One tenant's principals: an open-addressing hash table (linear probing, power-of-two size) over packed
/// 24-byte slots in one array. Reads take no lock: each slot is guarded by a sequence word, so a reader retries
/// only the slot being written at that instant (a write never holds up a read for longer than one entry).
/// Writes must be serialised by the caller (the tenant's gate).
/// </summary>
/// <remarks>
/// <para>
/// A struct, held in place in its tenant's <see cref="InMemoryPolicyStore.TenantData"/> (a field, never copied: a copy's
/// writes would go nowhere), so a reader goes from the tenant straight to the slots, one dependent load less on every resolve.
/// </para>
/// <para>
/// A removed principal leaves a tombstone so that probe chains stay intact for readers that are walking them; a
/// key never moves within an array. When live slots and tombstones pass three quarters of the array, the writer
/// builds a new array (at most half full) and publishes it: readers still on the old array see it as it was at
/// the switch, which is a state the table really had.
/// </para>
/// </remarks>
internal struct PrincipalTable
{
    private const int Busy = 1 << 2;
    private const int StateMask = 3;
    private const int Live = 1;
    private const int Deleted = 2;
    private const int CounterUnit = 1 << 3;
    private const int MinimumCapacity = 16;

    private Slot[] _slots;
    private int _live;
    private int _used;

    /// <summary>An empty table.</summary>
    public PrincipalTable() => _slots = new Slot[MinimumCapacity];

    /// <summary>How many principals the table holds (guarded by the writers' lock).</summary>
    public readonly int Count => _live;

    /// <summary>The slots readers walk now; a bulk reader takes it once and reads every entry of it.</summary>
    public readonly Slot[] Slots => Volatile.Read(ref Unsafe.AsRef(in _slots));

    /// <summary>Finds a principal's entry without taking a lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly bool TryGet(long id, out PrincipalEntry entry) => TryGet(Slots, id, out entry);

    /// <summary>Finds a principal's entry in one array taken from <see cref="Slots"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGet(Slot[] slots, long id, out PrincipalEntry entry)
    {
        var mask = slots.Length - 1;
        ref var first = ref MemoryMarshal.GetArrayDataReference(slots);
        for (var i = TableHash.Home(id, mask); ; i = (i + 1) & mask)
        {
            ref var slot = ref Unsafe.Add(ref first, i);
            var state = slot.Read(out var key, out var value, out var packed);
            if ((state & StateMask) == Live && key == id)
            {
                entry = new PrincipalEntry(value, packed);
                return true;
            }

            if ((state & StateMask) == 0)
            {
                entry = default;
                return false;
            }
        }
    }

    /// <summary>Reads one slot consistently: whether it holds a principal, and which.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ref Slot slot, out long id, out PrincipalEntry entry)
    {
        var state = slot.Read(out id, out var value, out var packed);
        entry = new PrincipalEntry(value, packed);
        return (state & StateMask) == Live;
    }

    /// <summary>Whether the table holds the principal (writers only).</summary>
    public readonly bool Contains(long id) => TryGet(_slots, id, out _);

    /// <summary>Adds or replaces a principal's entry (writers only, under the tenant's gate).</summary>
    public void Set(long id, PrincipalEntry entry)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var free = -1;
        for (var i = TableHash.Home(id, mask); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            var state = slot.State & StateMask;
            if (state == Live && slot.Key == id)
            {
                slot.Write(id, entry, Live);
                return;
            }

            if (state == Deleted && free < 0)
            {
                free = i;
            }

            if (state == 0)
            {
                if (free < 0)
                {
                    if (_used + 1 > slots.Length / 4 * 3)
                    {
                        Rebuild(_live + 1);
                        Set(id, entry);
                        return;
                    }

                    _used++;
                    free = i;
                }

                slots[free].Write(id, entry, Live);
                _live++;
                return;
            }
        }
    }

    /// <summary>Removes a principal, answering its last entry (writers only, under the tenant's gate).</summary>
    public bool Remove(long id, out PrincipalEntry entry)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = TableHash.Home(id, mask); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            var state = slot.State & StateMask;
            if (state == Live && slot.Key == id)
            {
                entry = new PrincipalEntry(slot.Value, slot.Packed);
                slot.Write(id, default, Deleted);
                _live--;
                return true;
            }

            if (state == 0)
            {
                entry = default;
                return false;
            }
        }
    }

    private void Rebuild(int live)
    {
        var capacity = MinimumCapacity;
        while (capacity < live * 2)
        {
            capacity *= 2;
        }

        var old = _slots;
        var slots = new Slot[capacity];
        var mask = capacity - 1;
        foreach (ref readonly var slot in old.AsSpan())
        {
            if ((slot.State & StateMask) != Live)
            {
                continue;
            }

            var i = TableHash.Home(slot.Key, mask);
            while (slots[i].State != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i].Write(slot.Key, new PrincipalEntry(slot.Value, slot.Packed), Live);
        }

        _used = _live;
        Volatile.Write(ref _slots, slots);
    }

    /// <summary>
    /// One packed slot: key, entry and a sequence word (state in bits 0–1, a writer's busy flag in bit 2, a write
    /// counter above) that a reader checks before and after reading the rest.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Slot
    {
        internal long Key;
        internal long Value;
        internal int Packed;
        internal int State;

        /// <summary>Reads the slot consistently: retries while a writer is busy with it or wrote it meanwhile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Read(out long key, out long value, out int packed)
        {
            while (true)
            {
                var before = Volatile.Read(ref State);
                key = Volatile.Read(ref Key);
                value = Volatile.Read(ref Value);
                packed = Volatile.Read(ref Packed);
                if ((before & Busy) == 0 && Volatile.Read(ref State) == before)
                {
                    return before;
                }

                ReadSlow();
            }
        }

        /// <summary>Writes the slot (one writer at a time): busy flag with a full fence, fields, then the new state.</summary>
        public void Write(long key, PrincipalEntry entry, int state)
        {
            var previous = State;
            Interlocked.Exchange(ref State, previous | Busy);
            Key = key;
            Value = entry.Value;
            Packed = entry.Packed;
            Volatile.Write(ref State, ((previous & ~(Busy | StateMask)) + CounterUnit) | state);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ReadSlow() => Thread.SpinWait(1);
    }
}

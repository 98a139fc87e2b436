using System.Numerics;
using System.Runtime.CompilerServices;

namespace Navixy.TwoFactor.Stores.InMemory;

/// <summary>Where an id's probe starts in the in-memory stores' open-addressing tables (<see cref="PrincipalTable"/>, <see cref="TenantTable{T}"/>).</summary>
internal static class TableHash
{
    /// <summary>
    /// Fibonacci hashing: the top bits of the id times 2^64/φ, as many as the table has index bits. Sequential and strided ids
    /// (Navixy's ids are sequential across all dealers) land evenly spread, so a probe rarely passes another principal: at
    /// 1,000,000 accounts and 100,000 sub-users a lookup reads 1.08 slots on average, where bits 32 and up of the same product
    /// (the earlier choice, not Fibonacci hashing for tables below 2^32 slots) read 2.4.
    /// </summary>
    /// <param name="id">The key.</param>
    /// <param name="mask">The table's length minus one (a power of two, at least 2, minus one).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Home(long id, int mask) => (int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> BitOperations.LeadingZeroCount((ulong)(uint)mask));
}

namespace Navixy.TwoFactor.Policy;

/// <summary>
/// One page of a tenant's principals in ascending id order. Walk a tenant by asking again with
/// <see cref="NextAfterId"/> until it is <see langword="null"/>. <c>default</c> is an empty last page.
/// </summary>
public readonly record struct DirectoryPage
{
    private static readonly IReadOnlyList<DirectoryEntry> None = [];

    private readonly IReadOnlyList<DirectoryEntry>? _entries;

    /// <summary>Creates a page.</summary>
    /// <param name="entries">The principals, in ascending id order.</param>
    /// <param name="nextAfterId">The cursor for the next page; <see langword="null"/> when this is the last page.</param>
    public DirectoryPage(IReadOnlyList<DirectoryEntry> entries, long? nextAfterId)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries;
        NextAfterId = nextAfterId;
    }

    /// <summary>The principals of this page, in ascending id order.</summary>
    public IReadOnlyList<DirectoryEntry> Entries => _entries ?? None;

    /// <summary>
    /// The continuation cursor: pass it as <c>afterId</c> to read the next page; <see langword="null"/> when no principal
    /// follows. Principals added or removed during a walk may or may not appear; every other one appears exactly once.
    /// </summary>
    public long? NextAfterId { get; }

    /// <summary>Whether both pages hold the same entries and cursor.</summary>
    /// <param name="other">The other page.</param>
    public bool Equals(DirectoryPage other) => NextAfterId == other.NextAfterId && Entries.SequenceEqual(other.Entries);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(NextAfterId, Entries.Count);
}

namespace Navixy.TwoFactor.Policy;

/// <summary>Which accounts a settings update targets: all of the tenant's accounts, or selected ids.</summary>
public sealed class SettingsTarget
{
    private SettingsTarget(bool isAll, IReadOnlyList<long> ids)
    {
        IsAll = isAll;
        Ids = ids;
    }

    /// <summary>Every account that exists in the tenant at that moment (S2), demo accounts included.</summary>
    public static SettingsTarget All { get; } = new(true, []);

    /// <summary>Exactly the listed accounts (S3). Invalid lists are accepted here and rejected by the update with named ids.</summary>
    /// <param name="ids">The account ids.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    public static SettingsTarget Selected(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);

        // Reading stops one past the largest list any configuration accepts, so an endless sequence is
        // answered TooManyIds instead of hanging the caller.
        return new(false, ids.Take(TwoFactorOptions.MaxIdsPerUpdateLimit + 1).ToArray());
    }

    /// <summary>Exactly the listed accounts (S3).</summary>
    /// <param name="ids">The account ids.</param>
    public static SettingsTarget Selected(params long[] ids) => Selected((IEnumerable<long>)ids);

    /// <summary>Whether the target is all accounts.</summary>
    public bool IsAll { get; }

    /// <summary>The selected ids, as given; empty when <see cref="IsAll"/>.</summary>
    public IReadOnlyList<long> Ids { get; }

    /// <summary>Describes the target, e.g. <c>all</c> or <c>selected (3 ids)</c>.</summary>
    public override string ToString() => IsAll ? "all" : $"selected ({Ids.Count} ids)";
}

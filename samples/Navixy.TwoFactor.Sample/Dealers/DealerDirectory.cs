using System.Collections.Concurrent;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Dealers;

/// <summary>
/// The host's dealers (the library's tenants) and their display names: a dealer's name is the issuer an
/// authenticator app shows next to its users' codes.
/// </summary>
internal sealed class DealerDirectory
{
    private readonly ConcurrentDictionary<TenantId, string> _names = new();

    /// <summary>Adds a dealer, or renames it.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="name">Its display name; not empty.</param>
    public void Add(TenantId dealer, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _names[dealer] = name;
    }

    /// <summary>The dealer's display name.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <exception cref="InvalidOperationException">The dealer is not known (the sample seeds every dealer it has users of).</exception>
    public string NameOf(TenantId dealer) =>
        _names.TryGetValue(dealer, out var name) ? name : throw new InvalidOperationException($"{dealer} is not a known dealer.");
}

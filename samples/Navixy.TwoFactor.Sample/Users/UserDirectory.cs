using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Credentials;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>The host's user logins: by login (platform-wide) and by dealer and id.</summary>
internal sealed class UserDirectory
{
    private readonly ConcurrentDictionary<string, SampleUser> _byLogin = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(TenantId Dealer, long Id), SampleUser> _byId = new();

    /// <summary>Adds a user.</summary>
    /// <param name="user">The user.</param>
    /// <exception cref="InvalidOperationException">The login, or the id within the dealer, is taken.</exception>
    public void Add(SampleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!_byId.TryAdd((user.Dealer, user.Id), user))
        {
            throw new InvalidOperationException($"User id {user.Id} is already used in {user.Dealer}.");
        }

        if (!_byLogin.TryAdd(LoginName.Normalize(user.Login), user))
        {
            _byId.TryRemove((user.Dealer, user.Id), out _);
            throw new InvalidOperationException($"The login {user.Login} is taken.");
        }
    }

    /// <summary>Finds a user by login.</summary>
    /// <param name="login">The login as sent.</param>
    /// <param name="user">The user.</param>
    public bool TryFind(string login, [NotNullWhen(true)] out SampleUser? user) =>
        _byLogin.TryGetValue(LoginName.Normalize(login), out user);

    /// <summary>Finds a user by dealer and id.</summary>
    /// <param name="dealer">The dealer.</param>
    /// <param name="id">The id within the dealer.</param>
    /// <param name="user">The user.</param>
    public bool TryFind(TenantId dealer, long id, [NotNullWhen(true)] out SampleUser? user) =>
        _byId.TryGetValue((dealer, id), out user);

    /// <summary>The users of one dealer, in no particular order.</summary>
    /// <param name="dealer">The dealer.</param>
    public IReadOnlyList<SampleUser> InDealer(TenantId dealer) => [.. _byId.Values.Where(u => u.Dealer == dealer)];
}

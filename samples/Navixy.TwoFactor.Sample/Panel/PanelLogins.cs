using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Sample.Credentials;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>The dealers' Admin Panel logins, separate from user logins.</summary>
internal sealed class PanelLogins
{
    private readonly ConcurrentDictionary<string, PanelLogin> _byLogin = new(StringComparer.Ordinal);

    /// <summary>Adds a panel login.</summary>
    /// <param name="login">The login.</param>
    /// <exception cref="InvalidOperationException">The login is taken.</exception>
    public void Add(PanelLogin login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (!_byLogin.TryAdd(LoginName.Normalize(login.Login), login))
        {
            throw new InvalidOperationException($"The panel login {login.Login} is taken.");
        }
    }

    /// <summary>Finds a panel login.</summary>
    /// <param name="login">The login as sent.</param>
    /// <param name="panelLogin">The login.</param>
    public bool TryFind(string login, [NotNullWhen(true)] out PanelLogin? panelLogin) =>
        _byLogin.TryGetValue(LoginName.Normalize(login), out panelLogin);
}

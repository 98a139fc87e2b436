using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Panel;
using Navixy.TwoFactor.Sample.Sessions;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The sample's own parts of the package's endpoints: its password check (PBKDF2 under the failure counter), its full user
/// sessions, and its panel sessions' dealer and permissions. User and panel sessions are separate stores, so neither
/// API's hash works on the other.
/// </summary>
internal sealed class SampleAccounts(
    UserDirectory users,
    PasswordCheck passwords,
    SessionHandleStore<TwoFactorUser> userSessions,
    SessionHandleStore<PanelSession> panelSessions,
    IOptions<SessionLifetimeOptions> lifetimes) : ITwoFactorUserAccounts, ITwoFactorPanelSessions
{
    public ValueTask<UserPasswordCheck> CheckPasswordAsync(string login, string password, CancellationToken cancellationToken)
    {
        users.TryFind(login, out var user);
        return ValueTask.FromResult(passwords.Check("user", login, password, user?.Password) switch
        {
            PasswordCheckResult.Locked => UserPasswordCheck.Locked,
            PasswordCheckResult.Passed when user is not null => UserPasswordCheck.Passed(user.ToTwoFactorUser()),
            _ => UserPasswordCheck.WrongLoginOrPassword,
        });
    }

    public ValueTask<string> StartSessionAsync(TwoFactorUser user, CancellationToken cancellationToken) =>
        ValueTask.FromResult(userSessions.Create(user, lifetimes.Value.UserLifetime));

    public ValueTask<TwoFactorUser?> FindSessionAsync(string hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(userSessions.TryGet(hash, out var user) ? user : null);

    public ValueTask<PanelAccess?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        if (!panelSessions.TryGet(hash, out var session))
        {
            return ValueTask.FromResult<PanelAccess?>(null);
        }

        var permissions = (session.Permissions.Allows(PanelPermissions.Users, PanelPermissions.Read) ? PanelUserPermissions.Read : PanelUserPermissions.None)
            | (session.Permissions.Allows(PanelPermissions.Users, PanelPermissions.Update) ? PanelUserPermissions.Update : PanelUserPermissions.None);
        return ValueTask.FromResult<PanelAccess?>(new PanelAccess(session.Dealer, permissions) { Actor = session.Actor });
    }
}

using Navixy.TwoFactor.AspNetCore.Auditing;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>The opening of the sample's own Panel API calls: a live panel session with the permission the call needs.</summary>
internal static class PanelCallGate
{
    /// <summary>
    /// Admits a call with <c>Authorization: NVX &lt;panel hash&gt;</c> whose session may <paramref name="action"/> users;
    /// otherwise the error to answer (4 no session, 11 not permitted).
    /// </summary>
    /// <param name="context">The call.</param>
    /// <param name="sessions">The panel sessions.</param>
    /// <param name="action"><see cref="PanelPermissions.Read"/> or <see cref="PanelPermissions.Update"/>.</param>
    /// <param name="session">The admitted session.</param>
    public static NavixyError? Admit(HttpContext context, SessionHandleStore<PanelSession> sessions, string action, out PanelSession session)
    {
        session = null!;
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } hashError)
        {
            return hashError;
        }

        if (!sessions.TryGet(hash, out var found))
        {
            return NvxAuthorization.SessionNotFound();
        }

        if (!found.Permissions.Allows(PanelPermissions.Users, action))
        {
            return new NavixyError(NavixyErrorCode.OperationNotPermitted, $"Operation not permitted: this panel session lacks the permission users: {action}.");
        }

        session = found;
        context.SetTwoFactorActor(new TwoFactorActor(found.Actor));
        return null;
    }
}

using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>
/// Admits a Panel API call: a panel session hash (error 3 when malformed, 4 when no panel session has it,
/// user hashes included) with the permission the call needs (error 13 when missing).
/// </summary>
internal sealed class PanelGate(SessionStore<PanelSession> sessions)
{
    /// <summary>Finds the call's panel session and checks one <c>users</c> permission.</summary>
    /// <param name="request">The call.</param>
    /// <param name="usersAction">The action needed in the <c>users</c> area: <c>read</c> or <c>update</c>.</param>
    /// <param name="session">The session when admitted.</param>
    /// <param name="error">The error to answer when not admitted.</param>
    public bool TryAdmit(
        HttpRequest request,
        string usersAction,
        [NotNullWhen(true)] out PanelSession? session,
        [NotNullWhen(false)] out WireError? error)
    {
        session = null;
        error = NvxAuthorization.TryRead(request, out var hash);
        if (error is not null)
        {
            return false;
        }

        if (!sessions.TryGet(hash, out var found))
        {
            error = NvxAuthorization.SessionNotFound();
            return false;
        }

        if (!found.Permissions.Allows(PanelPermissions.Users, usersAction))
        {
            error = new WireError(
                ErrorCode.OperationNotPermitted,
                $"Operation not permitted: this panel session lacks the permission {PanelPermissions.Users}: {usersAction}.");
            return false;
        }

        session = found;
        return true;
    }
}

using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// Admits a call that needs a signed-in user: a full user session (error 3 for a malformed header, 4 for a
/// restricted, panel, ended or unknown hash).
/// </summary>
internal static class SignedInUser
{
    /// <summary>Finds the call's full session and its user.</summary>
    /// <param name="context">The call.</param>
    /// <param name="sessions">The user sessions.</param>
    /// <param name="users">The user directory.</param>
    /// <param name="hash">The full session's hash, when admitted.</param>
    /// <param name="user">The signed-in user, when admitted.</param>
    /// <param name="error">The error to answer when not admitted.</param>
    public static bool TryAdmit(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        out string hash,
        [NotNullWhen(true)] out SampleUser? user,
        [NotNullWhen(false)] out WireError? error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(users);
        user = null;
        error = NvxAuthorization.TryRead(context.Request, out hash);
        if (error is not null)
        {
            return false;
        }

        if (!sessions.TryGetFull(hash, out var session) || !users.TryFind(session.Dealer, session.UserId, out user))
        {
            user = null;
            error = NvxAuthorization.SessionNotFound();
            return false;
        }

        return true;
    }

    /// <summary>Like <see cref="TryAdmit"/>, and refuses demo users (error 101): their two-factor settings are not theirs to change.</summary>
    /// <param name="context">The call.</param>
    /// <param name="sessions">The user sessions.</param>
    /// <param name="users">The user directory.</param>
    /// <param name="hash">The full session's hash, when admitted.</param>
    /// <param name="user">The signed-in user, when admitted.</param>
    /// <param name="error">The error to answer when not admitted.</param>
    public static bool TryAdmitNonDemo(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        out string hash,
        [NotNullWhen(true)] out SampleUser? user,
        [NotNullWhen(false)] out WireError? error)
    {
        if (!TryAdmit(context, sessions, users, out hash, out user, out error))
        {
            return false;
        }

        if (user.IsDemo)
        {
            user = null;
            error = new WireError(ErrorCode.DemoModeDisabled, "In demo mode this function is disabled.");
            return false;
        }

        return true;
    }
}

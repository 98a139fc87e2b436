using System.Globalization;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>
/// The Panel API calls that are the host's: <c>panel/account/auth</c> (its panel logins) and the extension
/// <c>panel/user/mfa/reset</c> (any user of its dealer, so it needs the host's user directory). The MFA settings calls
/// come from the package.
/// </summary>
internal static class PanelEndpoints
{
    /// <summary>Maps the calls.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapSamplePanelApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/panel/account/auth", AuthAsync);
        app.MapPost("/panel/user/mfa/reset", ResetAsync);
        return app;
    }

    /// <summary><c>{login, password}</c> → <c>{hash, permissions}</c>; 102 wrong login or password, 105 too many failures.</summary>
    private static async Task<IResult> AuthAsync(
        HttpContext context, PanelLogins logins, PasswordCheck passwords, SessionHandleStore<PanelSession> sessions, IOptions<SessionLifetimeOptions> options)
    {
        var request = await NavixyRequest.ReadAsync(context);
        var login = string.Empty;
        var password = string.Empty;
        var error = request.Error ?? request.RequiredString("login", out login) ?? request.RequiredString("password", out password);
        if ((error ?? (login.Length > LoginName.MaxLength ? NavixyError.Invalid($"login must be at most {LoginName.MaxLength} characters.") : null)) is { } refused)
        {
            return refused.ToResult();
        }

        logins.TryFind(login, out var panelLogin);
        return passwords.Check("panel", login, password, panelLogin?.Password) switch
        {
            PasswordCheckResult.Locked => new NavixyError(NavixyErrorCode.LoginAttemptsExceeded, "Login attempts limit exceeded; try again later.").ToResult(),
            PasswordCheckResult.Passed when panelLogin is not null => NavixyResults.Success(new PanelAuthResponse(
                sessions.Create(new PanelSession(panelLogin.Dealer, panelLogin.Login, panelLogin.Permissions), options.Value.PanelLifetime),
                panelLogin.Permissions.ToWire())),
            _ => new NavixyError(NavixyErrorCode.WrongLoginOrPassword, "Wrong login or password.").ToResult(),
        };
    }

    /// <summary>
    /// <c>{user_id}</c> → <c>{removed}</c>: removes the user's authenticator app and recovery codes
    /// (<see cref="ITwoFactorAdministration.ResetAsync"/>); any user of this dealer, 201 for any other id; needs <c>users: update</c>.
    /// </summary>
    private static async Task<IResult> ResetAsync(
        HttpContext context, SessionHandleStore<PanelSession> sessions, UserDirectory users, ITwoFactorAdministration administration)
    {
        if (PanelCallGate.Admit(context, sessions, PanelPermissions.Update, out var session) is { } denied)
        {
            return denied.ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
        var userId = 0L;
        if ((request.Error ?? request.RequiredId("user_id", out userId)) is { } error)
        {
            return error.ToResult();
        }

        if (!users.TryFind(session.Dealer, userId, out _))
        {
            return new NavixyError(
                NavixyErrorCode.NotFound,
                string.Create(CultureInfo.InvariantCulture, $"Not found in the database: no user with id {userId} in this dealer.")).ToResult();
        }

        var reset = await administration.ResetAsync(session.Dealer, userId, context.RequestAborted);
        return reset.Outcome switch
        {
            TotpEnrollmentOutcome.Reset => NavixyResults.Success(new MfaResetResponse(true)),
            TotpEnrollmentOutcome.NotEnrolled => NavixyResults.Success(new MfaResetResponse(false)),
            _ => NavixyError.DatabaseError().ToResult(),
        };
    }
}

/// <summary>The answer of <c>panel/user/mfa/reset</c>: whether there was an authenticator app or recovery codes to remove.</summary>
internal sealed record MfaResetResponse(bool Removed) : NavixySuccess;

/// <summary>The answer of <c>panel/account/auth</c>: the panel session hash (Panel API calls only) and its permissions.</summary>
internal sealed record PanelAuthResponse(string Hash, IReadOnlyDictionary<string, string[]> Permissions) : NavixySuccess;

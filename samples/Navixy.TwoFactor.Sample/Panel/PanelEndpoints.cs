using System.Globalization;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.Sample.Credentials;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Sample.Wire;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Sample.Panel;

/// <summary>
/// The Panel API: <c>panel/account/auth</c> and <c>panel/user/mfa/settings/*</c>, mapped onto the library's
/// <see cref="ITwoFactorSettings"/> inside the panel session's dealer, and the extension <c>panel/user/mfa/reset</c>.
/// Every call checks its session and permission first, then its body; a rejected update changed nothing (the library
/// applies all or nothing).
/// </summary>
internal static class PanelEndpoints
{
    /// <summary>Maps the Panel API.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapPanelApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/panel/account/auth", AuthAsync);
        app.MapPost("/panel/user/mfa/settings/read", ReadAsync);
        app.MapPost("/panel/user/mfa/settings/update", UpdateAsync);
        app.MapPost("/panel/user/mfa/settings/default/read", ReadDefaultAsync);
        app.MapPost("/panel/user/mfa/settings/default/update", UpdateDefaultAsync);
        app.MapPost("/panel/user/mfa/reset", ResetAsync);
        return app;
    }

    /// <summary><c>{login, password}</c> → <c>{hash, permissions}</c>; 102 wrong login or password, 105 too many failures.</summary>
    private static async Task<IResult> AuthAsync(
        HttpContext context,
        PanelLogins logins,
        PasswordCheck passwords,
        SessionStore<PanelSession> sessions,
        IOptions<SessionLifetimeOptions> options)
    {
        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredString("login", out var login) is { } loginError)
        {
            return loginError.ToResult();
        }

        if (request.RequiredString("password", out var password) is { } passwordError)
        {
            return passwordError.ToResult();
        }

        if (login.Length > LoginName.MaxLength)
        {
            return WireError.Invalid($"login must be at most {LoginName.MaxLength} characters.").ToResult();
        }

        logins.TryFind(login, out var panelLogin);
        var verdict = passwords.Check("panel", login, password, panelLogin?.Password);
        if (verdict == PasswordCheckResult.Locked)
        {
            return WireResults.Error(ErrorCode.LoginAttemptsExceeded, "Login attempts limit exceeded; try again later.");
        }

        if (verdict != PasswordCheckResult.Passed || panelLogin is null)
        {
            return WireResults.Error(ErrorCode.WrongLoginOrPassword, "Wrong login or password.");
        }

        var session = new PanelSession(panelLogin.Dealer, panelLogin.Login, panelLogin.Permissions);
        var hash = sessions.Create(session, options.Value.PanelLifetime);
        return WireResults.Success(new PanelAuthResponse(hash, panelLogin.Permissions.ToWire()));
    }

    /// <summary><c>{user_id}</c> → <c>{value: settings}</c>; 201 for an id that is not an account of this dealer.</summary>
    private static async Task<IResult> ReadAsync(HttpContext context, PanelGate gate, ITwoFactorSettings settings)
    {
        if (!gate.TryAdmit(context.Request, PanelPermissions.Read, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredId("user_id", out var userId) is { } idError)
        {
            return idError.ToResult();
        }

        var found = await settings.ReadAsync(session.Dealer, userId, context.RequestAborted);
        return found.Found
            ? WireResults.Success(new SettingsValueResponse(MfaSettingsWire.Write(found.Setting)))
            : SettingsWireErrors.NotFound(userId).ToResult();
    }

    /// <summary><c>{target, settings}</c> → success; 201 for ids that are not accounts of this dealer, 7 for invalid input.</summary>
    private static async Task<IResult> UpdateAsync(HttpContext context, PanelGate gate, ITwoFactorSettings settings)
    {
        if (!gate.TryAdmit(context.Request, PanelPermissions.Update, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (SettingsTargetWire.Read(request.Root, out var target) is { } targetError)
        {
            return targetError.ToResult();
        }

        if (MfaSettingsWire.Read(request.Root, "settings", out var setting) is { } settingsError)
        {
            return settingsError.ToResult();
        }

        var result = await settings.UpdateAsync(session.Dealer, target, setting, cancellationToken: context.RequestAborted);
        return result.Succeeded ? WireResults.Success() : SettingsWireErrors.Rejected(result).ToResult();
    }

    /// <summary><c>{}</c> → <c>{value: settings}</c>: the setting new users of this dealer take.</summary>
    private static async Task<IResult> ReadDefaultAsync(HttpContext context, PanelGate gate, ITwoFactorSettings settings)
    {
        if (!gate.TryAdmit(context.Request, PanelPermissions.Read, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        var setting = await settings.ReadDefaultAsync(session.Dealer, context.RequestAborted);
        return WireResults.Success(new SettingsValueResponse(MfaSettingsWire.Write(setting)));
    }

    /// <summary><c>{settings}</c> → success; changes no existing user.</summary>
    private static async Task<IResult> UpdateDefaultAsync(HttpContext context, PanelGate gate, ITwoFactorSettings settings)
    {
        if (!gate.TryAdmit(context.Request, PanelPermissions.Update, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (MfaSettingsWire.Read(request.Root, "settings", out var setting) is { } settingsError)
        {
            return settingsError.ToResult();
        }

        var result = await settings.UpdateDefaultAsync(session.Dealer, setting, cancellationToken: context.RequestAborted);
        return result.Succeeded ? WireResults.Success() : SettingsWireErrors.Rejected(result).ToResult();
    }

    /// <summary>
    /// <c>{user_id}</c> → <c>{removed}</c> (an extension beyond Navixy): removes the user's authenticator app (active and
    /// pending) and recovery codes through <see cref="ITwoFactorAdministration.ResetAsync"/>; <c>removed</c> is false when
    /// there was nothing to remove. Any user of this dealer, account or sub-user; 201 for any other id (another dealer's
    /// included); needs <c>users: update</c>.
    /// </summary>
    private static async Task<IResult> ResetAsync(HttpContext context, PanelGate gate, UserDirectory users, ITwoFactorAdministration administration)
    {
        if (!gate.TryAdmit(context.Request, PanelPermissions.Update, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredId("user_id", out var userId) is { } idError)
        {
            return idError.ToResult();
        }

        if (!users.TryFind(session.Dealer, userId, out _))
        {
            return new WireError(
                ErrorCode.NotFound,
                string.Create(CultureInfo.InvariantCulture, $"Not found in the database: no user with id {userId} in this dealer.")).ToResult();
        }

        var reset = await administration.ResetAsync(session.Dealer, userId, context.RequestAborted);
        return reset.Outcome switch
        {
            TotpEnrollmentOutcome.Reset => WireResults.Success(new MfaResetResponse(true)),
            TotpEnrollmentOutcome.NotEnrolled => WireResults.Success(new MfaResetResponse(false)),
            _ => WireResults.Error(ErrorCode.DatabaseError, "Database error."),
        };
    }
}

/// <summary>The answer of <c>panel/user/mfa/reset</c>.</summary>
/// <param name="Removed">Whether there was an authenticator app or recovery codes to remove.</param>
internal sealed record MfaResetResponse(bool Removed) : SuccessResponse;

/// <summary>The answer of <c>panel/account/auth</c>.</summary>
/// <param name="Hash">The panel session hash, for <c>Authorization: NVX &lt;hash&gt;</c> on Panel API calls only.</param>
/// <param name="Permissions">What the session may do, e.g. <c>{"users": ["read"]}</c>.</param>
internal sealed record PanelAuthResponse(string Hash, IReadOnlyDictionary<string, string[]> Permissions) : SuccessResponse;

/// <summary>The answer of the settings reads.</summary>
/// <param name="Value">The MFA settings object.</param>
internal sealed record SettingsValueResponse(MfaSettings Value) : SuccessResponse;

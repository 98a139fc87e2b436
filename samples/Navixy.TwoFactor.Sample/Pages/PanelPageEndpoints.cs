using System.Text.Json;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.Sessions;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Sample.Panel;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Sample.Pages;

/// <summary>
/// Panel API extensions the Admin Panel pages need, under Navixy's conventions (POST, JSON, <c>Authorization: NVX</c>
/// with a panel session, errors as <c>{success: false, status}</c>):
/// <c>panel/user/mfa/list</c> (the dealer's users with their effective answer and its explanation),
/// <c>panel/user/mfa/settings/everyone</c> (the "all users" switch, with a dry run) and <c>panel/user/mfa/unlock</c>.
/// Every call acts inside the session's dealer only.
/// </summary>
internal static class PanelPageEndpoints
{
    /// <summary>Maps the calls.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapPanelPageApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/panel/user/mfa/list", ListAsync);
        app.MapPost("/panel/user/mfa/settings/everyone", EveryoneAsync);
        app.MapPost("/panel/user/mfa/unlock", UnlockAsync);
        return app;
    }

    /// <summary>
    /// <c>{}</c> → <c>{list: [...]}</c>: every account and sub-user of the session's dealer (accounts each followed by
    /// their sub-users), with its flags, its own setting (accounts), the library's answer for it and the explanation
    /// (<see cref="Explanation.ToString"/>), and its authenticator state. Needs <c>users: read</c>.
    /// </summary>
    private static async Task<IResult> ListAsync(
        HttpContext context,
        SessionHandleStore<PanelSession> sessions,
        UserDirectory users,
        ITwoFactorSettings settings,
        ITwoFactorResolver resolver,
        ITotpEnrollment enrollment)
    {
        if (PanelCallGate.Admit(context, sessions, PanelPermissions.Read, out var session) is { } denied)
        {
            return denied.ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        var cancellationToken = context.RequestAborted;
        var ordered = users.InDealer(session.Dealer)
            .OrderBy(u => u.AccountId)
            .ThenBy(u => u.Kind == PrincipalKind.Account ? 0 : 1)
            .ThenBy(u => u.Id);
        var list = new List<UserListItem>();
        foreach (var user in ordered)
        {
            MfaSettings? own = null;
            if (user.Kind == PrincipalKind.Account)
            {
                var read = await settings.ReadAsync(user.Dealer, user.Id, cancellationToken);
                if (read.IsFailed)
                {
                    return NavixyError.DatabaseError().ToResult();
                }

                own = read.Found ? MfaSettingsWire.Write(read.Setting) : null;
            }

            var requirement = await resolver.ResolveAsync(user.Dealer, user.Id, cancellationToken);
            if (await enrollment.GetStatusAsync(user.Dealer, user.Id, cancellationToken) is not { } status)
            {
                return NavixyError.DatabaseError().ToResult();
            }

            list.Add(new UserListItem(
                user.Id,
                user.Login,
                user.Name,
                user.Kind == PrincipalKind.SubUser ? "sub_user" : "account",
                user.AccountId,
                user.Origin == AccountOrigin.Imported ? "imported" : "created",
                user.IsDemo,
                own,
                UserRequirement.Of(requirement),
                status.IsEnrolled,
                status.RecoveryCodesLeft));
        }

        return NavixyResults.Success(new UserListResponse(list));
    }

    /// <summary>
    /// <c>{settings, [dry_run], [effective_from]}</c> → <c>{changed_accounts, dry_run}</c>: the Admin Panel's "all users" switch
    /// (<see cref="ITwoFactorSettings.EnforceForEveryoneAsync"/>): every current account and the default for new ones, in one
    /// step. With <c>dry_run: true</c> nothing changes and <c>changed_accounts</c> says how many accounts would (demo
    /// accounts never count). With a later <c>effective_from</c> (as on <c>settings/update</c>) it is scheduled: the answer
    /// adds <c>scheduled_id</c> (for <c>settings/scheduled/cancel</c>) and <c>effective_from</c>. Needs <c>users: update</c>;
    /// 7 for invalid settings or moment.
    /// </summary>
    private static async Task<IResult> EveryoneAsync(HttpContext context, SessionHandleStore<PanelSession> sessions, ITwoFactorSettings settings, TimeProvider time)
    {
        if (PanelCallGate.Admit(context, sessions, PanelPermissions.Update, out var session) is { } denied)
        {
            return denied.ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (MfaSettingsWire.Read(request.Root, "settings", out var setting) is { } settingsError)
        {
            return settingsError.ToResult();
        }

        if (ReadDryRun(request.Root, out var dryRun) is { } dryRunError)
        {
            return dryRunError.ToResult();
        }

        if (EffectiveFromWire.Read(request.Root, time.GetUtcNow(), out var effectiveFrom) is { } momentError)
        {
            return momentError.ToResult();
        }

        var result = await settings.EnforceForEveryoneAsync(session.Dealer, setting, dryRun, effectiveFrom, context.RequestAborted);
        return result.Succeeded
            ? NavixyResults.Success(new EveryoneResponse(result.ChangedAccounts, result.IsDryRun, result.Scheduled?.Id, result.Scheduled?.EffectiveFrom))
            : TwoFactorHttpResults.ToResult(result);
    }

    /// <summary>
    /// <c>{user_id}</c> → <c>{unlocked}</c>: clears the user's wrong-code count and lockout
    /// (<see cref="ITwoFactorAdministration.UnlockAsync"/>); <c>unlocked</c> is false when there was nothing to clear. Any
    /// user of this dealer, account or sub-user; 201 for any other id; needs <c>users: update</c>; 1 when a store failed.
    /// </summary>
    private static async Task<IResult> UnlockAsync(HttpContext context, SessionHandleStore<PanelSession> sessions, UserDirectory users, ITwoFactorAdministration administration)
    {
        if (PanelCallGate.Admit(context, sessions, PanelPermissions.Update, out var session) is { } denied)
        {
            return denied.ToResult();
        }

        var request = await NavixyRequest.ReadAsync(context);
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
            return new NavixyError(NavixyErrorCode.NotFound, $"Not found in the database: no user with id {userId} in this dealer.").ToResult();
        }

        return await administration.UnlockAsync(session.Dealer, userId, context.RequestAborted) switch
        {
            PrincipalUnlockOutcome.Unlocked => NavixyResults.Success(new UnlockResponse(true)),
            PrincipalUnlockOutcome.NothingToUnlock => NavixyResults.Success(new UnlockResponse(false)),
            _ => NavixyError.DatabaseError().ToResult(),
        };
    }

    private static NavixyError? ReadDryRun(JsonElement root, out bool dryRun)
    {
        dryRun = false;
        if (!root.TryGetProperty("dry_run", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return NavixyError.WrongKind("dry_run", "a boolean");
        }

        dryRun = element.GetBoolean();
        return null;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.AspNetCore.Auditing;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// The Panel API's <c>panel/user/mfa/settings/{read,update,default/read,default/update}</c> over the library's
/// <see cref="ITwoFactorSettings"/>, inside the panel session's dealer. Every call checks its session and permission
/// first, then its body; a rejected update changed nothing (the library applies all or nothing).
/// </summary>
internal static class PanelSettingsEndpoints
{
    /// <summary><c>{user_id}</c> → <c>{value: settings}</c>; 201 for an id that is not an account of this dealer.</summary>
    public static async Task<IResult> ReadAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorSettings settings)
    {
        var (access, request, denied) = await AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (request!.RequiredId("user_id", out var userId) is { } idError)
        {
            return idError.ToResult();
        }

        var found = await settings.ReadAsync(access!.Dealer, userId, context.RequestAborted);
        return found.Found
            ? NavixyResults.Success(new SettingsValueResponse(MfaSettingsWire.Write(found.Setting)))
            : found.IsFailed ? NavixyError.DatabaseError().ToResult() : SettingsWireErrors.NotFound(userId).ToResult();
    }

    /// <summary>
    /// <c>{target, settings, effective_from?}</c> → success (with <c>scheduled</c> for a later <c>effective_from</c>); 201 for ids
    /// that are not accounts of this dealer, 7 for invalid input. A rejected update schedules nothing.
    /// </summary>
    public static async Task<IResult> UpdateAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorSettings settings, TimeProvider time)
    {
        var (access, request, denied) = await AdmitAsync(context, panel, PanelUserPermissions.Update);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (SettingsTargetWire.Read(request!.Root, out var target) is { } targetError)
        {
            return targetError.ToResult();
        }

        if (MfaSettingsWire.Read(request.Root, "settings", out var setting) is { } settingsError)
        {
            return settingsError.ToResult();
        }

        if (EffectiveFromWire.Read(request.Root, time.GetUtcNow(), out var effectiveFrom) is { } momentError)
        {
            return momentError.ToResult();
        }

        var result = await settings.UpdateAsync(access!.Dealer, target, setting, effectiveFrom: effectiveFrom, cancellationToken: context.RequestAborted);
        return PanelScheduleEndpoints.Answer(result);
    }

    /// <summary><c>{}</c> → <c>{value: settings}</c>: the setting new users of this dealer take.</summary>
    public static async Task<IResult> ReadDefaultAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorSettings settings)
    {
        var (access, _, denied) = await AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        return await settings.ReadDefaultAsync(access!.Dealer, context.RequestAborted) is { } setting
            ? NavixyResults.Success(new SettingsValueResponse(MfaSettingsWire.Write(setting)))
            : NavixyError.DatabaseError().ToResult();
    }

    /// <summary><c>{settings, effective_from?}</c> → success (with <c>scheduled</c> for a later <c>effective_from</c>); changes no existing user.</summary>
    public static async Task<IResult> UpdateDefaultAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorSettings settings, TimeProvider time)
    {
        var (access, request, denied) = await AdmitAsync(context, panel, PanelUserPermissions.Update);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (MfaSettingsWire.Read(request!.Root, "settings", out var setting) is { } settingsError)
        {
            return settingsError.ToResult();
        }

        if (EffectiveFromWire.Read(request.Root, time.GetUtcNow(), out var effectiveFrom) is { } momentError)
        {
            return momentError.ToResult();
        }

        var result = await settings.UpdateDefaultAsync(access!.Dealer, setting, effectiveFrom: effectiveFrom, cancellationToken: context.RequestAborted);
        return PanelScheduleEndpoints.Answer(result);
    }

    /// <summary>
    /// Admits a Panel API call: a panel session (3 when the header is malformed, 4 when no panel session has the hash, user
    /// hashes included) with the permission the call needs (13 when missing); then its body (5 when malformed).
    /// </summary>
    internal static async ValueTask<(PanelAccess? Access, NavixyRequest? Request, NavixyError? Denied)> AdmitAsync(
        HttpContext context,
        ITwoFactorPanelSessions panel,
        PanelUserPermissions needed)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } hashError)
        {
            return (null, null, hashError);
        }

        var access = await panel.FindAsync(hash, context.RequestAborted);
        if (access is null)
        {
            return (null, null, NvxAuthorization.SessionNotFound());
        }

        if ((access.Permissions & needed) != needed)
        {
            var action = needed == PanelUserPermissions.Read ? "read" : "update";
            return (null, null, new NavixyError(
                NavixyErrorCode.OperationNotPermitted,
                $"Operation not permitted: this panel session lacks the permission users: {action}."));
        }

        HttpContextActorAccessor.Set(context, new TwoFactorActor(access.Actor ?? $"panel:dealer:{access.Dealer.Value.ToString(CultureInfo.InvariantCulture)}"));
        var request = await NavixyRequest.ReadAsync(context);
        return request.Error is { } malformed ? (null, null, malformed) : (access, request, null);
    }
}

using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// Scheduled settings changes on the Panel API (extensions; policy.md S11): <c>panel/user/mfa/settings/scheduled/list</c>
/// (<c>users: read</c>) and <c>panel/user/mfa/settings/scheduled/cancel</c> (<c>users: update</c>), inside the panel session's
/// dealer, and the answer of an update that carried a later <c>effective_from</c>.
/// </summary>
internal static class PanelScheduleEndpoints
{
    /// <summary><c>{}</c> → <c>{list: [{id, effective_from, action, user_ids?, settings}]}</c>: the dealer's pending changes, by moment then acceptance.</summary>
    public static async Task<IResult> ListAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorSettings settings)
    {
        var (access, _, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (await settings.ListScheduledAsync(access!.Dealer, context.RequestAborted) is not { } pending)
        {
            return NavixyError.DatabaseError().ToResult();
        }

        return NavixyResults.Success(new ScheduledListResponse([.. pending.Select(ScheduledChangeWire.From)]));
    }

    /// <summary>
    /// <c>{id}</c> → success: the change never applies. 201 when no such change is pending for this dealer (unknown, another
    /// dealer's, cancelled or applied already); 7 for an id that is not a positive integer.
    /// </summary>
    public static async Task<IResult> CancelAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorSettings settings)
    {
        var (access, request, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Update);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (request!.RequiredId("id", out var id) is { } idError)
        {
            return idError.ToResult();
        }

        var result = await settings.CancelScheduledAsync(access!.Dealer, id, context.RequestAborted);
        return result.Succeeded || !result.IsNotFound
            ? TwoFactorHttpResults.ToResult(result)
            : new NavixyError(
                NavixyErrorCode.NotFound,
                $"Not found in the database: no scheduled change {id} is pending (unknown, cancelled or applied already).").ToResult();
    }

    /// <summary>An update's answer: <c>{"success": true}</c> when applied, with <c>scheduled</c> when accepted for a later moment.</summary>
    public static IResult Answer(SettingsUpdateResult result) => result is { Succeeded: true, Scheduled: { } change }
        ? NavixyResults.Success(new ScheduledResponse(ScheduledChangeWire.From(change)))
        : TwoFactorHttpResults.ToResult(result);
}

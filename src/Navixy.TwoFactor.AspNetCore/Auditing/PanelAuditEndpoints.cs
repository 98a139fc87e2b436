using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.Administration;
using Navixy.TwoFactor.AspNetCore.Endpoints;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Stores.AuditTrail;

namespace Navixy.TwoFactor.AspNetCore.Auditing;

/// <summary>
/// <c>panel/user/mfa/audit/list</c> (an extension): the panel session's dealer's audit trail (policy.md A3), newest first,
/// paged by an opaque cursor, filtered by user and time range. Needs <c>users: read</c>; another dealer's entries are never
/// answered.
/// </summary>
internal static class PanelAuditEndpoints
{
    /// <summary>
    /// <c>{user_id?, from?, to?, limit?, cursor?}</c> → <c>{list, next_cursor}</c>; 7 for a malformed value, a cursor this
    /// server did not hand out, a limit out of 1 to 1000 or an empty time range; 1 when the store fails.
    /// </summary>
    public static async Task<IResult> ListAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorAuditTrail trail)
    {
        var (access, request, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (ReadQuery(request!.Root, out var query) is { } invalid)
        {
            return invalid.ToResult();
        }

        var page = await trail.ReadAsync(access!.Dealer, query, context.RequestAborted);
        return page.Outcome switch
        {
            AuditTrailReadOutcome.Read => NavixyResults.Success(new AuditListResponse([.. page.Entries!.Select(AuditEntryWire.From)], page.NextCursor)),
            AuditTrailReadOutcome.InvalidQuery => NavixyError.Invalid("cursor, limit or the time range is not valid.").ToResult(),
            _ => NavixyError.DatabaseError().ToResult(),
        };
    }

    private static NavixyError? ReadQuery(JsonElement root, out AuditTrailQuery query)
    {
        query = new AuditTrailQuery();
        if (Optional(root, "user_id") is { } user)
        {
            if (NavixyRequest.ReadInteger(user, "user_id", out var id) is { } error)
            {
                return error;
            }

            if (id <= 0)
            {
                return NavixyError.Invalid("user_id must be positive.");
            }

            query = query with { PrincipalId = id };
        }

        if (Optional(root, "limit") is { } limit)
        {
            if (NavixyRequest.ReadInteger(limit, "limit", out var size) is { } error)
            {
                return error;
            }

            if (size is < AuditTrailQuery.MinPageSize or > AuditTrailQuery.MaxPageSize)
            {
                return NavixyError.Invalid(string.Create(CultureInfo.InvariantCulture, $"limit must be between {AuditTrailQuery.MinPageSize} and {AuditTrailQuery.MaxPageSize}."));
            }

            query = query with { PageSize = (int)size };
        }

        if (Optional(root, "cursor") is { } cursor)
        {
            if (NavixyRequest.ReadString(cursor, "cursor", out var text) is { } error)
            {
                return error;
            }

            query = query with { Cursor = text };
        }

        if (ReadMoment(root, "from", out var from) is { } fromError)
        {
            return fromError;
        }

        if (ReadMoment(root, "to", out var to) is { } toError)
        {
            return toError;
        }

        query = query with { From = from, To = to };
        return null;
    }

    private static NavixyError? ReadMoment(JsonElement root, string name, out DateTimeOffset? moment)
    {
        moment = null;
        if (Optional(root, name) is not { } element)
        {
            return null;
        }

        if (NavixyRequest.ReadString(element, name, out var text) is { } error)
        {
            return error;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return NavixyError.Invalid($"{name} must be a date and time in ISO 8601, e.g. 2026-01-31T12:00:00Z.");
        }

        moment = parsed;
        return null;
    }

    private static JsonElement? Optional(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}

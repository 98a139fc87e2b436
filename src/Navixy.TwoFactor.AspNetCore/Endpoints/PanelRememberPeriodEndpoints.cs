using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Devices;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// The dealer's remember period for devices on the Panel API (extensions; policy.md D1):
/// <c>panel/user/mfa/remember_period/read</c> (<c>users: read</c>) and <c>/update</c> (<c>users: update</c>), in whole seconds,
/// 0 for off (the default), at most 90 days. Setting it is audited (A1).
/// </summary>
internal static class PanelRememberPeriodEndpoints
{
    private static readonly long MaxSeconds = (long)RememberedDeviceOptions.MaxRememberPeriod.TotalSeconds;

    /// <summary><c>{}</c> → <c>{value: seconds}</c>; 0 when devices are not remembered.</summary>
    public static async Task<IResult> ReadAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorRememberedDevices devices)
    {
        var (access, _, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (await devices.GetRememberPeriodAsync(access!.Dealer, context.RequestAborted) is not { } period)
        {
            return NavixyError.DatabaseError().ToResult();
        }

        return NavixyResults.Success(new RememberPeriodResponse((long)period.TotalSeconds));
    }

    /// <summary>
    /// <c>{value: seconds}</c> → success: applies at once to every device token of the dealer (0 stops them all); 5 when
    /// <c>value</c> is not a number, 7 when it is missing, not a whole number or out of 0 to 7776000 (90 days).
    /// </summary>
    public static async Task<IResult> UpdateAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorRememberedDevices devices)
    {
        var (access, request, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Update);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (!request!.Root.TryGetProperty("value", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return NavixyError.Missing("value").ToResult();
        }

        if (NavixyRequest.ReadInteger(element, "value", out var seconds) is { } error)
        {
            return error.ToResult();
        }

        if (seconds < 0 || seconds > MaxSeconds)
        {
            return NavixyError.Invalid(string.Create(CultureInfo.InvariantCulture, $"value must be between 0 (off) and {MaxSeconds} seconds (90 days).")).ToResult();
        }

        // In range, so the library accepts it: anything but true is a store failure (error 1, as every failure).
        return await devices.SetRememberPeriodAsync(access!.Dealer, TimeSpan.FromSeconds(seconds), context.RequestAborted) == true
            ? NavixyResults.Success()
            : NavixyError.DatabaseError().ToResult();
    }
}

/// <summary>The answer of <c>panel/user/mfa/remember_period/read</c>.</summary>
/// <param name="Value">The remember period in seconds; 0 when off.</param>
internal sealed record RememberPeriodResponse([property: JsonPropertyName("value")] long Value) : NavixySuccess;

/// <summary><c>panel/user/mfa/remember_period/update</c>.</summary>
/// <param name="Value">The new remember period in seconds: 0 (off) to 7776000 (90 days).</param>
internal sealed record RememberPeriodUpdateRequest([property: JsonPropertyName("value")] long Value);

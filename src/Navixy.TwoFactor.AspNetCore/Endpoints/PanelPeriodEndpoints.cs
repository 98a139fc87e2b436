using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// The dealer's two periods on the Panel API (extensions), read and set the same way, in whole seconds from 0 to 90 days:
/// <c>panel/user/mfa/remember_period/read|update</c> (policy.md D1: how long a remembered device skips the second step; 0,
/// the default, is off and voids every device token of the dealer) and <c>panel/user/mfa/enrollment_period/read|update</c>
/// (G1: how long a user who must pass with an authenticator it has not enrolled may sign in only to enrol; 0, the default,
/// is none). Reading needs <c>users: read</c> and answers <c>{value: {seconds, max_seconds}}</c>; updating needs
/// <c>users: update</c>, takes <c>{seconds}</c>, is audited (A1) and applies at once to the whole dealer: 7 when
/// <c>seconds</c> is missing, not whole or out of range, 5 when it is not a number, 1 when a store failed.
/// </summary>
internal static class PanelPeriodEndpoints
{
    /// <summary><c>remember_period/read</c>.</summary>
    public static Task<IResult> ReadRememberAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorRememberedDevices devices) =>
        ReadAsync(context, panel, Remember(devices));

    /// <summary><c>remember_period/update</c>.</summary>
    public static Task<IResult> UpdateRememberAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorRememberedDevices devices) =>
        UpdateAsync(context, panel, Remember(devices));

    /// <summary><c>enrollment_period/read</c>.</summary>
    public static Task<IResult> ReadEnrollmentAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorEnrollmentPeriods periods) =>
        ReadAsync(context, panel, Enrollment(periods));

    /// <summary><c>enrollment_period/update</c>.</summary>
    public static Task<IResult> UpdateEnrollmentAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorEnrollmentPeriods periods) =>
        UpdateAsync(context, panel, Enrollment(periods));

    private static Period Remember(ITwoFactorRememberedDevices devices) => new(
        RememberedDeviceOptions.MaxRememberPeriod, "off", devices.GetRememberPeriodAsync, devices.SetRememberPeriodAsync);

    private static Period Enrollment(ITwoFactorEnrollmentPeriods periods) => new(
        EnrollmentPeriodRule.MaxPeriod, "no enrolment period", periods.GetPeriodAsync, periods.SetPeriodAsync);

    private static async Task<IResult> ReadAsync(HttpContext context, ITwoFactorPanelSessions panel, Period period)
    {
        var (access, _, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        return await period.Get(access!.Dealer, context.RequestAborted) is { } value
            ? NavixyResults.Success(new PeriodResponse(new PeriodValue((long)value.TotalSeconds, period.MaxSeconds)))
            : NavixyError.DatabaseError().ToResult();
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, ITwoFactorPanelSessions panel, Period period)
    {
        var (access, request, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Update);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (!request!.Root.TryGetProperty("seconds", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return NavixyError.Missing("seconds").ToResult();
        }

        if (NavixyRequest.ReadInteger(element, "seconds", out var seconds) is { } error)
        {
            return error.ToResult();
        }

        if (seconds < 0 || seconds > period.MaxSeconds)
        {
            return NavixyError.Invalid(string.Create(CultureInfo.InvariantCulture, $"seconds must be between 0 ({period.Zero}) and {period.MaxSeconds} (90 days).")).ToResult();
        }

        // In range, so the library accepts it: anything but true is a store failure (error 1, as every failure).
        return await period.Set(access!.Dealer, TimeSpan.FromSeconds(seconds), context.RequestAborted) == true
            ? NavixyResults.Success()
            : NavixyError.DatabaseError().ToResult();
    }

    /// <summary>One of the dealer's periods: its bound, what zero means, and the library calls that read and set it.</summary>
    private sealed record Period(
        TimeSpan Max,
        string Zero,
        Func<TenantId, CancellationToken, ValueTask<TimeSpan?>> Get,
        Func<TenantId, TimeSpan, CancellationToken, ValueTask<bool?>> Set)
    {
        public long MaxSeconds => (long)Max.TotalSeconds;
    }
}

/// <summary><c>panel/user/mfa/remember_period/update</c> and <c>/enrollment_period/update</c>.</summary>
/// <param name="Seconds">The new period in whole seconds; 0 for off / none.</param>
internal sealed record PeriodUpdateRequest(long Seconds);

/// <summary>The answer of <c>panel/user/mfa/remember_period/read</c> and <c>/enrollment_period/read</c>.</summary>
/// <param name="Value">The period.</param>
internal sealed record PeriodResponse(PeriodValue Value) : NavixySuccess;

/// <summary>A dealer's period.</summary>
/// <param name="Seconds">The period in whole seconds; 0 for off / none.</param>
/// <param name="MaxSeconds">The longest period a dealer may set (90 days).</param>
internal sealed record PeriodValue(long Seconds, [property: JsonPropertyName("max_seconds")] long MaxSeconds);

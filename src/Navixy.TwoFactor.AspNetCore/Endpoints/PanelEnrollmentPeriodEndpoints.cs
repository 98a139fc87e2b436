using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Stores.EnrollmentPeriods;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// <c>panel/user/mfa/enrollment_period/read</c> and <c>/update</c> (an extension): the panel session's dealer's enrolment
/// period for authenticator apps (policy.md G1), in whole seconds, 0 for none (the default), at most 90 days. A user who
/// must pass with an authenticator it has not enrolled is let in to enrol for that long from its first sign-in in that
/// state; the update is audited (A1) and applies at once to every user of the dealer.
/// </summary>
internal static class PanelEnrollmentPeriodEndpoints
{
    /// <summary>The longest period in seconds: 90 days.</summary>
    public static readonly long MaxSeconds = (long)EnrollmentPeriodRule.MaxPeriod.TotalSeconds;

    /// <summary><c>{}</c> → <c>{value: {seconds, max_seconds}}</c>. Needs <c>users: read</c>.</summary>
    public static async Task<IResult> ReadAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorEnrollmentPeriods periods)
    {
        var (access, _, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Read);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (await periods.GetPeriodAsync(access!.Dealer, context.RequestAborted) is not { } period)
        {
            return NavixyError.DatabaseError().ToResult();
        }

        return NavixyResults.Success(new EnrollmentPeriodResponse(new EnrollmentPeriodValue((long)period.TotalSeconds, MaxSeconds)));
    }

    /// <summary>
    /// <c>{seconds}</c> → success; 7 for a value that is not a whole number of seconds from 0 to 7776000 (90 days), 5 when
    /// it is not a number. Needs <c>users: update</c>.
    /// </summary>
    public static async Task<IResult> UpdateAsync(HttpContext context, ITwoFactorPanelSessions panel, ITwoFactorEnrollmentPeriods periods)
    {
        var (access, request, denied) = await PanelSettingsEndpoints.AdmitAsync(context, panel, PanelUserPermissions.Update);
        if (denied is not null)
        {
            return denied.ToResult();
        }

        if (!request!.Root.TryGetProperty("seconds", out var element))
        {
            return NavixyError.Missing("seconds").ToResult();
        }

        if (NavixyRequest.ReadInteger(element, "seconds", out var seconds) is { } error)
        {
            return error.ToResult();
        }

        if (seconds < 0 || seconds > MaxSeconds)
        {
            return NavixyError.Invalid(string.Create(CultureInfo.InvariantCulture, $"seconds must be between 0 (no enrolment period) and {MaxSeconds} (90 days).")).ToResult();
        }

        // In range, so the library accepts it: anything but true is a store failure (or the two bounds disagreeing).
        return await periods.SetPeriodAsync(access!.Dealer, TimeSpan.FromSeconds(seconds), context.RequestAborted) == true
            ? NavixyResults.Success()
            : NavixyError.DatabaseError().ToResult();
    }
}

/// <summary><c>panel/user/mfa/enrollment_period/update</c>.</summary>
/// <param name="Seconds">The new period in whole seconds; 0 for none.</param>
internal sealed record EnrollmentPeriodRequest(long Seconds);

/// <summary>The answer of <c>panel/user/mfa/enrollment_period/read</c>.</summary>
/// <param name="Value">The period.</param>
internal sealed record EnrollmentPeriodResponse(EnrollmentPeriodValue Value) : NavixySuccess;

/// <summary>A dealer's enrolment period.</summary>
/// <param name="Seconds">The period in whole seconds; 0 for none.</param>
/// <param name="MaxSeconds">The longest period a dealer may set (90 days).</param>
internal sealed record EnrollmentPeriodValue(long Seconds, [property: JsonPropertyName("max_seconds")] long MaxSeconds);

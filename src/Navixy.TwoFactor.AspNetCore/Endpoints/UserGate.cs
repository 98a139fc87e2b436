using System.Globalization;
using Microsoft.AspNetCore.Http;
using Navixy.TwoFactor.AspNetCore.Auditing;
using Microsoft.Extensions.DependencyInjection;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>A call admitted (or not) as a signed-in user's.</summary>
/// <param name="Hash">The full session hash, when admitted.</param>
/// <param name="User">The signed-in user, when admitted.</param>
/// <param name="Error">The error to answer, when not.</param>
internal readonly record struct UserAdmission(string Hash, TwoFactorUser? User, NavixyError? Error);

/// <summary>An opened user call: the admitted user with the call's JSON body, or the error to answer.</summary>
/// <param name="Hash">The full session hash presented.</param>
/// <param name="User">The admitted user; <see langword="null"/> with <paramref name="Error"/>.</param>
/// <param name="Request">The call's body; <see langword="null"/> with <paramref name="Error"/>.</param>
/// <param name="Error">Why the call is refused (3, 4, 101, or 5 for a malformed body).</param>
internal readonly record struct UserCall(string Hash, TwoFactorUser? User, NavixyRequest? Request, NavixyError? Error)
{
    /// <summary>The enrolment the call was admitted by (an enrolment handle, policy.md G1); null for a full session.</summary>
    public PendingSecondStep? Enrollment { get; init; }
}

/// <summary>
/// Admits a call that needs a signed-in user: a full session of the host (error 3 for a malformed header, 4 for a
/// restricted, panel, ended or unknown hash), and for calls that change two-factor state, not a demo user (error 101).
/// </summary>
internal static class UserGate
{
    public static async ValueTask<UserAdmission> AdmitAsync(HttpContext context, bool refuseDemo)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } error)
        {
            return new(hash, null, error);
        }

        var accounts = context.RequestServices.GetRequiredService<ITwoFactorUserAccounts>();
        var user = await accounts.FindSessionAsync(hash, context.RequestAborted);
        if (user is null)
        {
            return new(hash, null, NvxAuthorization.SessionNotFound());
        }

        if (refuseDemo && user.IsDemo)
        {
            return new(hash, null, new NavixyError(NavixyErrorCode.DemoModeDisabled, "In demo mode this function is disabled."));
        }

        HttpContextActorAccessor.Set(context, new TwoFactorActor("user:" + user.PrincipalId.ToString(CultureInfo.InvariantCulture)));
        return new(hash, user, null);
    }

    /// <summary>
    /// The opening of the enrolment calls (<c>user/auth/totp/begin</c>, <c>/confirm</c>): a full session as
    /// <see cref="OpenAsync"/>, or else the restricted handle of an enrolment that <c>user/auth</c> answered inside the
    /// user's enrolment period (policy.md G1), while the period runs (13 once it has ended; the handle then ends). Any other
    /// handle, a second step's included, is 4.
    /// </summary>
    public static async ValueTask<UserCall> OpenForEnrollmentAsync(HttpContext context)
    {
        if (NvxAuthorization.TryRead(context.Request, out var hash) is { } error)
        {
            return new(hash, null, null, error);
        }

        var pending = context.RequestServices.GetRequiredService<IPendingSecondStepStore>();
        if (!pending.TryGet(hash, out var step) || step.EnrollUntil is not { } until)
        {
            return await OpenAsync(context, refuseDemo: true);
        }

        if (context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() >= until)
        {
            pending.Remove(hash);
            return new(hash, null, null, TwoFactorHttpResults.EnrollmentPeriodEnded(until));
        }

        HttpContextActorAccessor.Set(context, new TwoFactorActor("user:" + step.User.PrincipalId.ToString(CultureInfo.InvariantCulture)));
        var request = await NavixyRequest.ReadAsync(context);
        return request.Error is { } malformed ? new(hash, null, null, malformed) : new(hash, step.User, request, null) { Enrollment = step };
    }

    /// <summary>The opening of every signed-in user's call: admit the user, then read the JSON body.</summary>
    public static async ValueTask<UserCall> OpenAsync(HttpContext context, bool refuseDemo)
    {
        var admission = await AdmitAsync(context, refuseDemo);
        if (admission is not { User: { } user })
        {
            return new(admission.Hash, null, null, admission.Error);
        }

        var request = await NavixyRequest.ReadAsync(context);
        return request.Error is { } malformed ? new(admission.Hash, null, null, malformed) : new(admission.Hash, user, request, null);
    }
}

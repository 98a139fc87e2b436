using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.StepUp;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// Authenticator apps for the signed-in user (an extension beyond Navixy, under its conventions), over the library's
/// <see cref="ITotpEnrollment"/>: <c>user/auth/totp/begin</c>, <c>/confirm</c>, <c>/status</c>, <c>/disable</c> and
/// <c>user/auth/recovery_codes/regenerate</c> (the last two behind <c>RequireStepUp()</c>). Full session only (4
/// otherwise), except that begin and confirm also take the restricted handle <c>user/auth</c> answered with
/// <c>enrollment_required</c> inside the user's enrolment period (policy.md G1), until <c>enroll_until</c>; demo users get
/// 101. Secrets and recovery codes are answered once, with <c>Cache-Control: no-store</c>, and never logged.
/// </summary>
internal static partial class AuthenticatorEndpoints
{
    /// <summary>
    /// <c>{[step_up_hash]}</c> → <c>{secret, otpauth_uri, algorithm, digits, period, expires_at}</c>: a new secret, shown
    /// this once (issuer: <see cref="TwoFactorUser.Issuer"/>; label: the login), to be confirmed before <c>expires_at</c>.
    /// Adding the first one and replacing one need a passed <c>step_up_hash</c> (policy.md T4; 7 without) whenever the user
    /// could pass another way. 13 when the dealer's MFA settings for this user do not allow <c>totp</c>, or when the
    /// enrolment period of an enrolment handle has ended; 105 when locked.
    /// </summary>
    public static async Task<IResult> BeginAsync(
        HttpContext context,
        ITwoFactorResolver resolver,
        StepUps stepUps,
        ITotpEnrollment enrollment,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var admission = await UserGate.OpenForEnrollmentAsync(context);
        if (admission is not { User: { } user, Request: { } request })
        {
            return admission.Error!.ToResult();
        }

        if (StepUpWire.Read(request, required: false, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        if (!await TotpAllowedAsync(resolver, user, context.RequestAborted))
        {
            return new NavixyError(
                NavixyErrorCode.OperationNotPermitted,
                "Operation not permitted: the dealer's MFA settings for this user do not allow authenticator apps (totp).").ToResult();
        }

        StepUpSession? redeemed = null;
        if (stepUpHash is not null && !stepUps.TryRedeem(stepUpHash, admission.Hash, user, out redeemed))
        {
            return StepUpWire.NotAccepted().ToResult();
        }

        var begun = await enrollment.BeginAsync(user.Tenant, user.PrincipalId, user.Issuer, user.Login, redeemed?.ChallengeToken, context.RequestAborted);
        LogOutcome(logger, "begin", user.PrincipalId, user.Tenant.Value, begun.Outcome);
        if (begun is { Outcome: TotpEnrollmentOutcome.Begun, Secret: { } secret, OtpAuthUri: { } uri })
        {
            NoStore(context);
            var parameters = begun.Parameters;
            return NavixyResults.Success(new TotpBeginResponse(
                secret,
                uri,
                parameters.Algorithm switch
                {
                    TotpAlgorithm.Sha256 => "SHA256",
                    TotpAlgorithm.Sha512 => "SHA512",
                    _ => "SHA1",
                },
                parameters.Digits,
                parameters.PeriodSeconds,
                begun.ExpiresAt));
        }

        if (begun.Outcome == TotpEnrollmentOutcome.StepUpRequired && admission.Enrollment is not null)
        {
            // The user's settings changed since user/auth (another factor can run now): sign in again and pass it.
            return new NavixyError(NavixyErrorCode.OperationNotPermitted, "Operation not permitted: this user can now pass another way; sign in again.").ToResult();
        }

        return begun.Outcome == TotpEnrollmentOutcome.StepUpRequired && stepUpHash is null
            ? NavixyError.Invalid(
                $"{StepUpWire.Parameter} is required to add or replace an authenticator app: pass user/auth/step_up/start and user/auth/step_up/verify first.").ToResult()
            : results.ToResult(begun);
    }

    /// <summary>
    /// <c>{code}</c> (the app's current code) → <c>{recovery_codes}</c>: the authenticator is active and these codes, shown
    /// this once, each work once in place of a code. 282 for a code that did not pass; 13 when no begun enrolment awaits
    /// confirmation; 105 when the user is locked or the enrolment has taken too many wrong codes. Confirmed with an
    /// enrolment handle (policy.md G1), the handle ends: the user signs in again and passes with the new authenticator.
    /// </summary>
    public static async Task<IResult> ConfirmAsync(
        HttpContext context,
        ITotpEnrollment enrollment,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var admission = await UserGate.OpenForEnrollmentAsync(context);
        if (admission is not { User: { } user, Request: { } request })
        {
            return admission.Error!.ToResult();
        }

        if (request.RequiredString("code", out var code) is { } codeError)
        {
            return codeError.ToResult();
        }

        var confirmed = await enrollment.ConfirmAsync(user.Tenant, user.PrincipalId, code, context.RequestAborted);
        LogOutcome(logger, "confirm", user.PrincipalId, user.Tenant.Value, confirmed.Outcome);
        if (confirmed.Succeeded && admission.Enrollment is not null)
        {
            // The enrolment handle has done its one job; the next user/auth runs the new authenticator.
            context.RequestServices.GetRequiredService<IPendingSecondStepStore>().Remove(admission.Hash);
        }

        return RecoveryCodes(context, confirmed, TotpEnrollmentOutcome.Confirmed, results);
    }

    /// <summary><c>{}</c> → <c>{value: {enrolled, pending_enrollment, recovery_codes_left, totp_allowed}}</c>: never a secret.</summary>
    public static async Task<IResult> StatusAsync(HttpContext context, ITwoFactorResolver resolver, ITotpEnrollment enrollment)
    {
        var admission = await UserGate.OpenAsync(context, refuseDemo: true);
        if (admission is not { User: { } user, Request: { } request })
        {
            return admission.Error!.ToResult();
        }

        if (await enrollment.GetStatusAsync(user.Tenant, user.PrincipalId, context.RequestAborted) is not { } status)
        {
            return NavixyError.DatabaseError().ToResult();
        }

        var allowed = await TotpAllowedAsync(resolver, user, context.RequestAborted);
        return NavixyResults.Success(new TotpStatusResponse(new TotpStatus(status.IsEnrolled, status.HasPendingEnrollment, status.RecoveryCodesLeft, allowed)));
    }

    /// <summary>
    /// <c>{step_up_hash}</c> → <c>{success: true}</c>: the authenticator (active and pending) and the recovery codes are gone.
    /// The library redeems the passed step-up (7 when it is not proof); 13 when no authenticator is enrolled.
    /// </summary>
    public static async Task<IResult> DisableAsync(HttpContext context, StepUps stepUps, ITotpEnrollment enrollment, TwoFactorHttpResults results, ILogger<TwoFactorHttpResults> logger)
    {
        var (user, token, refused) = await TakeStepUpAsync(context, stepUps);
        if (refused is not null)
        {
            return refused.ToResult();
        }

        var disabled = await enrollment.DisableAsync(user!.Tenant, user.PrincipalId, token, context.RequestAborted);
        LogOutcome(logger, "disable", user.PrincipalId, user.Tenant.Value, disabled.Outcome);
        return disabled.Outcome == TotpEnrollmentOutcome.StepUpRequired ? StepUpWire.NotAccepted().ToResult() : results.ToResult(disabled);
    }

    /// <summary>
    /// <c>{step_up_hash}</c> → <c>{recovery_codes}</c>: a fresh set, shown this once; the old codes stop working. The library
    /// redeems the passed step-up (7 when it is not proof); 13 when no authenticator is enrolled.
    /// </summary>
    public static async Task<IResult> RegenerateAsync(HttpContext context, StepUps stepUps, ITotpEnrollment enrollment, TwoFactorHttpResults results, ILogger<TwoFactorHttpResults> logger)
    {
        var (user, token, refused) = await TakeStepUpAsync(context, stepUps);
        if (refused is not null)
        {
            return refused.ToResult();
        }

        var regenerated = await enrollment.RegenerateRecoveryCodesAsync(user!.Tenant, user.PrincipalId, token, context.RequestAborted);
        LogOutcome(logger, "regenerate recovery codes", user.PrincipalId, user.Tenant.Value, regenerated.Outcome);
        return regenerated.Outcome == TotpEnrollmentOutcome.StepUpRequired
            ? StepUpWire.NotAccepted().ToResult()
            : RecoveryCodes(context, regenerated, TotpEnrollmentOutcome.RecoveryCodesRegenerated, results);
    }

    /// <summary>
    /// Admits a signed-in, non-demo user and takes the passed step-up named by the required <c>step_up_hash</c>; answers its
    /// challenge token for the library call, which redeems it, or the error to answer (3, 4, 101, 5, 7).
    /// </summary>
    private static async Task<(TwoFactorUser? User, string? Token, NavixyError? Refused)> TakeStepUpAsync(HttpContext context, StepUps stepUps)
    {
        var admission = await UserGate.OpenAsync(context, refuseDemo: true);
        if (admission is not { User: { } user, Request: { } request })
        {
            return (null, null, admission.Error);
        }

        if (StepUpWire.Read(request, required: true, out var stepUpHash) is { } stepUpError)
        {
            return (null, null, stepUpError);
        }

        return stepUps.TryRedeem(stepUpHash!, admission.Hash, user, out var taken)
            ? (user, taken.ChallengeToken, null)
            : (null, null, StepUpWire.NotAccepted());
    }

    private static IResult RecoveryCodes(HttpContext context, TotpEnrollmentResult result, TotpEnrollmentOutcome success, TwoFactorHttpResults results)
    {
        if (result.Outcome != success)
        {
            return results.ToResult(result);
        }

        NoStore(context);
        return NavixyResults.Success(new RecoveryCodesResponse(result.RecoveryCodes));
    }

    /// <summary>Whether the dealer's MFA settings let this user pass the second step with an authenticator app.</summary>
    private static async Task<bool> TotpAllowedAsync(ITwoFactorResolver resolver, TwoFactorUser user, CancellationToken cancellationToken)
    {
        var requirement = await resolver.ResolveAsync(user.Tenant, user.PrincipalId, cancellationToken);
        return requirement.IsRequired && (requirement.Factors & FactorTypes.Totp) != 0;
    }

    private static void NoStore(HttpContext context) => context.Response.Headers[HeaderNames.CacheControl] = "no-store";

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Authenticator {Operation} for user {UserId} of dealer {DealerId}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string operation, long userId, long dealerId, TotpEnrollmentOutcome outcome);
}

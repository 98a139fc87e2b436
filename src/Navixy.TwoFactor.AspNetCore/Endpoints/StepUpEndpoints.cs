using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.StepUp;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// Step-up for a signed-in user (an extension beyond Navixy): <c>user/auth/step_up/start</c> runs the second step again
/// through the library and answers a <c>step_up_hash</c>; <c>user/auth/step_up/verify</c> passes it with a code. The
/// passed step-up is then presented, once, to a call behind <c>RequireStepUp()</c> or to <c>user/auth/totp/begin</c>.
/// Full session only; demo users get 101.
/// </summary>
internal static partial class StepUpEndpoints
{
    /// <summary>
    /// <c>{[factor_type]}</c> → <c>{factor_type, [alternative_factor_types,] step_up_hash}</c>: the library picks the factor
    /// unless <c>factor_type</c> names one; for email a code was sent. 13 when no second step can run for this user; 7 for a
    /// factor that cannot run, naming those that can; 15 with the wait within a minute of the last code; 105 when locked.
    /// </summary>
    public static async Task<IResult> StartAsync(
        HttpContext context,
        ITwoFactorChallenges challenges,
        StepUps stepUps,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var admission = await UserGate.OpenAsync(context, refuseDemo: true);
        if (admission is not { User: { } user, Request: { } request })
        {
            return admission.Error!.ToResult();
        }

        if (FactorWire.ReadOptional(request, "factor_type", out var factor) is { } factorError)
        {
            return factorError.ToResult();
        }

        var start = factor == FactorTypes.None
            ? await challenges.StartAsync(user.Tenant, user.PrincipalId, context.RequestAborted)
            : await challenges.StartWithFactorAsync(user.Tenant, user.PrincipalId, factor, context.RequestAborted);
        LogStart(logger, user.PrincipalId, user.Tenant.Value, start.Outcome);
        switch (start.Outcome)
        {
            case ChallengeStartOutcome.Started when start.Token is { } token && start.Factor.ToWireName() is { } factorType:
                var stepUpHash = stepUps.Start(user, admission.Hash, token, start.Factor);
                return NavixyResults.Success(new StepUpStartResponse(factorType, FactorWire.Names(start.AlternativeFactors), stepUpHash));

            case ChallengeStartOutcome.PrincipalLocked:
                return results.Locked(start.LockedUntil).ToResult();

            case ChallengeStartOutcome.TooSoon:
                return TwoFactorHttpResults.TooSoon(start.RetryAfter, "a new step-up can be started").ToResult();

            case ChallengeStartOutcome.FactorUnavailable when factor != FactorTypes.None:
                return NavixyError.Invalid(
                    $"factor_type {factor.ToWireName()} cannot run for this user; available: {FactorWire.Describe(start.AlternativeFactors)}.").ToResult();

            case ChallengeStartOutcome.NotRequired or ChallengeStartOutcome.FactorUnavailable or ChallengeStartOutcome.EnrollmentRequired or ChallengeStartOutcome.EnrollNow:
                return new NavixyError(
                    NavixyErrorCode.OperationNotPermitted,
                    "Operation not permitted: no second step can run for this user now (the dealer's MFA settings require none, or only an authenticator app that is not enrolled). The dealer can reset the user's authenticator (panel/user/mfa/reset).").ToResult();

            default:
                return NavixyError.DatabaseError().ToResult();
        }
    }

    /// <summary>
    /// <c>{step_up_hash, code}</c> → <c>{success: true}</c>: the step-up is passed and may be presented once. 282 for any
    /// code that did not pass; 105 when locked or used up (start a new one); 7 for a <c>step_up_hash</c> that is not a
    /// pending step-up of this session.
    /// </summary>
    public static async Task<IResult> VerifyAsync(
        HttpContext context,
        ITwoFactorChallenges challenges,
        StepUps stepUps,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var admission = await UserGate.OpenAsync(context, refuseDemo: true);
        if (admission is not { User: { } user, Request: { } request })
        {
            return admission.Error!.ToResult();
        }

        if (StepUpWire.Read(request, required: true, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        if (request.RequiredString("code", out var code) is { } codeError)
        {
            return codeError.ToResult();
        }

        if (!stepUps.TryFind(stepUpHash!, admission.Hash, user, out var stepUp) || stepUp.PassedAt is not null)
        {
            return NavixyError.Invalid($"{StepUpWire.Parameter} is not a pending step-up of this session: start one with user/auth/step_up/start.").ToResult();
        }

        var result = await challenges.VerifyAsync(user.Tenant, stepUp.ChallengeToken, code, context.RequestAborted);
        LogVerify(logger, user.PrincipalId, user.Tenant.Value, result.Outcome);
        if (result.IsPassed)
        {
            return result.PrincipalId != user.PrincipalId ? NavixyError.DatabaseError().ToResult()
                : stepUps.TryMarkPassed(stepUpHash!, stepUp) ? NavixyResults.Success()
                : NvxAuthorization.SessionNotFound().ToResult();
        }

        return (results.ErrorOf(result, stepUp.Factor, "this step-up", "start a new one with user/auth/step_up/start") ?? NavixyError.DatabaseError()).ToResult();
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} asked for a step-up: {Outcome}")]
    private static partial void LogStart(ILogger logger, long userId, long dealerId, ChallengeStartOutcome outcome);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} step-up code: {Outcome}")]
    private static partial void LogVerify(ILogger logger, long userId, long dealerId, ChallengeVerifyOutcome outcome);
}

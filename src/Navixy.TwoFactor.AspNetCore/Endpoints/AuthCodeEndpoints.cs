using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// The authentication-code calls, the only ones a restricted handle may make: <c>user/auth/code/verify</c>,
/// <c>user/auth/code/resend</c> and (an extension) <c>user/auth/factor/switch</c>. Each finds the pending step (error 4
/// for any other hash: full, panel, ended or unknown) and asks the library about the challenge it holds; the client
/// never sees the challenge token.
/// </summary>
internal static partial class AuthCodeEndpoints
{
    /// <summary>
    /// <c>{code}</c> → <c>{hash}</c>, the host's full session (the restricted handle ends, once); 282 for any code that
    /// did not pass; 105 with when to retry when the user is locked or this sign-in used up its attempts (it then ends).
    /// The code is the email code, the authenticator app's code, or one of the user's recovery codes. With
    /// <c>remember_device: true</c> (an extension; optional <c>device_label</c>) the answer also carries <c>device_token</c>
    /// and <c>device_expires_at</c> when the dealer remembers devices: the client sends the token at its next <c>user/auth</c>.
    /// </summary>
    public static async Task<IResult> VerifyAsync(
        HttpContext context,
        IPendingSecondStepStore pending,
        ITwoFactorChallenges challenges,
        ITwoFactorUserAccounts accounts,
        ITwoFactorRememberedDevices devices,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var call = await OpenPendingAsync(context, pending);
        if (call is not { Step: { } step, Request: { } request })
        {
            return call.Error!.ToResult();
        }

        var handle = call.Handle;

        if (request.RequiredString("code", out var code) is { } codeError)
        {
            return codeError.ToResult();
        }

        if (RememberDeviceWire.Read(request.Root, out var remember) is { } rememberError)
        {
            return rememberError.ToResult();
        }

        // Any string goes to the library: only exactly the right digits pass, anything else spends an attempt.
        var user = step.User;
        var result = await challenges.VerifyAsync(user.Tenant, step.ChallengeToken, code, context.RequestAborted);
        LogVerify(logger, user.PrincipalId, user.Tenant.Value, result.Outcome);
        if (result.IsPassed)
        {
            // Bound to the principal: a pass for anyone else (a faulty store) grants nothing. One-time: of concurrent
            // passes with one handle, one completes it.
            if (result.PrincipalId != user.PrincipalId)
            {
                return NavixyError.DatabaseError().ToResult();
            }

            if (!pending.TryComplete(handle, out _))
            {
                return NvxAuthorization.SessionNotFound().ToResult();
            }

            var session = await accounts.StartSessionAsync(user, context.RequestAborted);
            if (remember.Requested)
            {
                // The pass just made buys one device token (policy.md D1); without one (remembering off, a failure) the
                // user is signed in all the same and simply asked again next time.
                var device = await devices.RememberAsync(user.Tenant, user.PrincipalId, step.ChallengeToken, remember.Label, context.RequestAborted);
                LogRemembered(logger, user.PrincipalId, user.Tenant.Value, device.Outcome);
                if (device.Succeeded)
                {
                    return NavixyResults.Success(new RememberedSessionResponse(session, device.Token, device.ExpiresAt));
                }
            }

            return NavixyResults.Success(new SessionResponse(session));
        }

        if (result.Outcome == ChallengeVerifyOutcome.Locked)
        {
            // This sign-in can never pass: it ends here.
            pending.Remove(handle);
        }

        return results.ToResult(result, step.Factor);
    }

    /// <summary>
    /// <c>{}</c> → <c>{success: true}</c>, a new code sent (the previous one stops working); 15 when too soon or no more
    /// codes may be sent; 105 when locked or used up (the step then ends); 13 when the sign-in runs an authenticator app;
    /// 4 when the challenge has ended (the step ends with it: sign in again).
    /// </summary>
    public static async Task<IResult> ResendAsync(
        HttpContext context,
        IPendingSecondStepStore pending,
        ITwoFactorChallenges challenges,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var call = await OpenPendingAsync(context, pending);
        if (call is not { Step: { } step, Request: { } request })
        {
            return call.Error!.ToResult();
        }

        var handle = call.Handle;

        var result = await challenges.ResendAsync(step.User.Tenant, step.ChallengeToken, context.RequestAborted);
        LogResend(logger, step.User.PrincipalId, step.User.Tenant.Value, result.Outcome);
        if (result.Outcome is ChallengeResendOutcome.Locked or ChallengeResendOutcome.Expired or ChallengeResendOutcome.AlreadyUsed
            or ChallengeResendOutcome.UnknownToken or ChallengeResendOutcome.InvalidInput or ChallengeResendOutcome.DeliveryFailed)
        {
            // This restricted handle can never pass: it ends here and the user signs in again.
            pending.Remove(handle);
        }

        return results.ToResult(result);
    }

    /// <summary>
    /// <c>{factor_type}</c> → the same answer as <c>user/auth</c> (same handle): the sign-in now runs that factor and the
    /// previous challenge no longer counts. Only a factor of <c>alternative_factor_types</c>, once per sign-in (7
    /// otherwise); 105 when locked; 15 with the wait when an email code went out less than a minute ago (the sign-in keeps
    /// its factor and may switch later); 13 when the factor cannot run after all; 4 when the step has ended.
    /// </summary>
    public static async Task<IResult> SwitchFactorAsync(
        HttpContext context,
        IPendingSecondStepStore pending,
        ITwoFactorChallenges challenges,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var call = await OpenPendingAsync(context, pending);
        if (call is not { Step: { } step, Request: { } request })
        {
            return call.Error!.ToResult();
        }

        var handle = call.Handle;

        if (FactorWire.ReadRequired(request, "factor_type", out var factor) is { } factorError)
        {
            return factorError.ToResult();
        }

        if ((step.AlternativeFactors & factor) != factor)
        {
            return NavixyError.Invalid(
                $"factor_type must be one of this sign-in's alternative_factor_types ({FactorWire.Describe(step.AlternativeFactors)}); a sign-in switches once.").ToResult();
        }

        // Claim the switch before anything is sent: of concurrent switches one starts a challenge, and a sign-in switches
        // once, so switching cannot be used to send more codes than resends would.
        var claimed = step with { AlternativeFactors = FactorTypes.None };
        if (!pending.TryReplace(handle, step, claimed))
        {
            return NavixyError.Invalid("factor_type: this sign-in has already switched its factor.").ToResult();
        }

        var user = step.User;
        var start = await challenges.StartWithFactorAsync(user.Tenant, user.PrincipalId, factor, context.RequestAborted);
        LogSwitch(logger, user.PrincipalId, user.Tenant.Value, factor, start.Outcome);
        switch (start.Outcome)
        {
            case ChallengeStartOutcome.Started when start.Token is { } token && start.Factor.ToWireName() is { } factorType:
                var switched = claimed with { Factor = start.Factor, ChallengeToken = token };
                return pending.TryReplace(handle, claimed, switched)
                    ? NavixyResults.Success(new SecondFactorRequiredResponse(factorType, null, handle))
                    : NvxAuthorization.SessionNotFound().ToResult();

            case ChallengeStartOutcome.TooSoon:
                // Nothing was started: give the switch back, so the sign-in may switch once the wait is over.
                pending.TryReplace(handle, claimed, step);
                return TwoFactorHttpResults.TooSoon(start.RetryAfter, $"this sign-in can switch to {factor.ToWireName()}").ToResult();

            case ChallengeStartOutcome.PrincipalLocked:
                return results.Locked(start.LockedUntil).ToResult();

            case ChallengeStartOutcome.FactorUnavailable or ChallengeStartOutcome.EnrollmentRequired or ChallengeStartOutcome.EnrollNow:
                return new NavixyError(
                    NavixyErrorCode.OperationNotPermitted,
                    $"Operation not permitted: factor_type {factor.ToWireName()} cannot run for this user now; the sign-in keeps its factor.").ToResult();

            case ChallengeStartOutcome.NotRequired:
                // The dealer's settings changed since the password was checked: sign in again.
                pending.Remove(handle);
                return NvxAuthorization.SessionNotFound().ToResult();

            default:
                return NavixyError.DatabaseError().ToResult();
        }
    }

    /// <summary>
    /// The opening of every call of a pending second step: the restricted handle from <c>Authorization: NVX</c> (3 when
    /// missing or malformed, 4 when unknown or ended), then the JSON body (5 when malformed).
    /// </summary>
    private static async Task<PendingCall> OpenPendingAsync(HttpContext context, IPendingSecondStepStore pending)
    {
        if (NvxAuthorization.TryRead(context.Request, out var handle) is { } denied)
        {
            return new(handle, null, null, denied);
        }

        // An enrolment's handle (policy.md G1) runs no challenge: it is good for the enrolment calls only.
        if (!pending.TryGet(handle, out var step) || step.EnrollUntil is not null)
        {
            return new(handle, null, null, NvxAuthorization.SessionNotFound());
        }

        var request = await NavixyRequest.ReadAsync(context);
        return request.Error is { } malformed ? new(handle, null, null, malformed) : new(handle, step, request, null);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId}: second-step code {Outcome}")]
    private static partial void LogVerify(ILogger logger, long userId, long dealerId, ChallengeVerifyOutcome outcome);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} asked for a new code: {Outcome}")]
    private static partial void LogResend(ILogger logger, long userId, long dealerId, ChallengeResendOutcome outcome);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} switched the second step to {Factor}: {Outcome}")]
    private static partial void LogSwitch(ILogger logger, long userId, long dealerId, FactorTypes factor, ChallengeStartOutcome outcome);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} asked to remember this device: {Outcome}")]
    private static partial void LogRemembered(ILogger logger, long userId, long dealerId, RememberDeviceOutcome outcome);
}

/// <summary>An opened call of a pending second step: its handle, the step and the body, or the error to answer.</summary>
/// <param name="Handle">The restricted handle presented (never logged).</param>
/// <param name="Step">The pending step; <see langword="null"/> with <paramref name="Error"/>.</param>
/// <param name="Request">The call's body; <see langword="null"/> with <paramref name="Error"/>.</param>
/// <param name="Error">Why the call is refused.</param>
internal readonly record struct PendingCall(string Handle, PendingSecondStep? Step, NavixyRequest? Request, NavixyError? Error)
{
    /// <summary>Describes the call without its handle.</summary>
    public override string ToString() => Error is null ? "pending call" : "refused pending call";
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.AspNetCore.Hosting;
using Navixy.TwoFactor.AspNetCore.Mapping;
using Navixy.TwoFactor.AspNetCore.SecondStep;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Devices;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Resolution;

namespace Navixy.TwoFactor.AspNetCore.Endpoints;

/// <summary>
/// <c>user/auth</c>: the host checks the password; the library's resolver decides whether a second step is required.
/// Not required (demo users, disallowed) → the host's full session. Required → a library challenge starts and only a
/// restricted handle is answered; if it cannot start (locked, too soon, no factor that can run, only an authenticator
/// app allowed and none enrolled after the user's enrolment period, a failure), no session at all. Inside the user's
/// enrolment period (policy.md G1) the answer is <c>enrollment_required</c> with <c>enroll_until</c> and a restricted
/// handle that admits only <c>user/auth/totp/begin</c> and <c>/confirm</c>; once confirmed, the user signs in again and
/// passes with the new authenticator. A <c>device_token</c> (an extension) that the library honours as
/// a remembered device of this user (policy.md D2) → the full session without a second step; any other is ignored. An unknown principal or a failing store never yields a
/// full session either.
/// </summary>
internal static partial class SignInEndpoint
{
    /// <summary>The longest login accepted; longer ones are invalid parameters.</summary>
    public const int MaxLoginLength = 254;

    public static async Task<IResult> AuthAsync(
        HttpContext context,
        ITwoFactorUserAccounts accounts,
        ITwoFactorResolver resolver,
        ITwoFactorChallenges challenges,
        IPendingSecondStepStore pending,
        TwoFactorHttpResults results,
        ILogger<TwoFactorHttpResults> logger)
    {
        var request = await NavixyRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredString("login", out var login) is { } loginError)
        {
            return loginError.ToResult();
        }

        if (request.RequiredString("password", out var password) is { } passwordError)
        {
            return passwordError.ToResult();
        }

        if (login.Length > MaxLoginLength)
        {
            return NavixyError.Invalid($"login must be at most {MaxLoginLength} characters.").ToResult();
        }

        // Optional (an extension): the device token a previous code verify returned with remember_device (policy.md D2).
        string? deviceToken = null;
        if (request.Root.TryGetProperty("device_token", out var device) && device.ValueKind != JsonValueKind.Null)
        {
            if (NavixyRequest.ReadString(device, "device_token", out var presented) is { } deviceError)
            {
                return deviceError.ToResult();
            }

            deviceToken = presented;
        }

        var check = await accounts.CheckPasswordAsync(login, password, context.RequestAborted);
        if (check.Outcome == UserPasswordOutcome.Locked)
        {
            LogLocked(logger);
            return new NavixyError(NavixyErrorCode.LoginAttemptsExceeded, "Login attempts limit exceeded; try again later.").ToResult();
        }

        if (!check.IsPassed)
        {
            LogWrongPassword(logger);
            return new NavixyError(NavixyErrorCode.WrongLoginOrPassword, "Wrong login or password.").ToResult();
        }

        var user = check.User;

        // A store failure propagates from here and is answered as error 1: no session is granted.
        var requirement = await resolver.ResolveAsync(user.Tenant, user.PrincipalId, context.RequestAborted);
        switch (requirement.Outcome)
        {
            case RequirementOutcome.NotRequired:
                LogSignedIn(logger, user.PrincipalId, user.Tenant.Value, requirement.Explanation);
                return NavixyResults.Success(new SessionResponse(await accounts.StartSessionAsync(user, context.RequestAborted)));

            case RequirementOutcome.Required:
                var start = await challenges.StartAsync(user.Tenant, user.PrincipalId, deviceToken, context.RequestAborted);
                LogSecondStep(logger, user.PrincipalId, user.Tenant.Value, start.Outcome);
                if (start.Outcome == ChallengeStartOutcome.NotRequired && start.Reason == NotRequiredReason.RememberedDevice)
                {
                    // A remembered device of this user: the library honoured its token, so no second step this time.
                    return NavixyResults.Success(new SessionResponse(await accounts.StartSessionAsync(user, context.RequestAborted)));
                }

                if (start is { Outcome: ChallengeStartOutcome.EnrollNow, EnrollUntil: { } until })
                {
                    // Let in only to enrol (policy.md G1): a handle good for the enrolment calls until the period ends.
                    var enrolling = pending.Create(PendingSecondStep.Enrollment(user, until));
                    return NavixyResults.Success(new EnrollmentRequiredResponse(until, enrolling));
                }

                if (start.IsStarted && start.Factor.ToWireName() is { } factorType)
                {
                    var step = new PendingSecondStep(user, start.Factor, start.Token) { AlternativeFactors = start.AlternativeFactors };
                    var handle = pending.Create(step);
                    return NavixyResults.Success(new SecondFactorRequiredResponse(factorType, FactorWire.Names(start.AlternativeFactors), handle));
                }

                return (results.ErrorOf(start, "a code was sent to this user too recently; sign in again") ?? NavixyError.DatabaseError()).ToResult();

            default:
                LogPolicyUnknown(logger, user.PrincipalId, user.Tenant.Value);
                return NavixyError.DatabaseError().ToResult();
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Login refused: too many failures for this login")]
    private static partial void LogLocked(ILogger logger);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Login refused: wrong login or password")]
    private static partial void LogWrongPassword(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} signed in without a second step ({Explanation})")]
    private static partial void LogSignedIn(ILogger logger, long userId, long dealerId, Explanation explanation);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} must pass a second step: {Outcome}")]
    private static partial void LogSecondStep(ILogger logger, long userId, long dealerId, ChallengeStartOutcome outcome);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "User {UserId} of dealer {DealerId} has a password but no 2FA record: login refused")]
    private static partial void LogPolicyUnknown(ILogger logger, long userId, long dealerId);
}

using System.Text.Json.Serialization;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample.StepUp;

/// <summary>
/// Step-up for a signed-in user (an extension beyond Navixy): <c>user/auth/step_up/start</c> runs the second step
/// again through the library (the same factor choice as a login) and answers a <c>step_up_hash</c>;
/// <c>user/auth/step_up/verify</c> passes it with a code. The passed step-up is then presented, once, to
/// <c>user/auth/totp/disable</c>, <c>user/auth/recovery_codes/regenerate</c> or <c>user/auth/totp/begin</c> (replacing an
/// active authenticator). Full session only; demo users get 101.
/// </summary>
internal static partial class StepUpEndpoints
{
    /// <summary>Maps the calls.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapStepUpApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/user/auth/step_up/start", StartAsync);
        app.MapPost("/user/auth/step_up/verify", VerifyAsync);
        return app;
    }

    /// <summary>
    /// <c>{[factor_type]}</c> → <c>{factor_type, [alternative_factor_types,] step_up_hash}</c>: the library picks the factor
    /// (an enrolled authenticator app before email) unless <c>factor_type</c> names one; for email a code was sent. 13 when
    /// no second step can run for this user (none required by the dealer's settings, or the only factor not enrolled);
    /// 7 for a factor that cannot run, naming those that can; 15 with the wait when the step-up would email a code within
    /// a minute of the last code sent to the user (a login's included; the library's C9, so concurrent starts send one
    /// email in all); 105 with when to retry when locked.
    /// </summary>
    private static async Task<IResult> StartAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        ISecondStep secondStep,
        StepUps stepUps,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out var hash, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (FactorWire.ReadOptional(request, "factor_type", out var factor) is { } factorError)
        {
            return factorError.ToResult();
        }

        var start = await secondStep.BeginAsync(user, factor, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(StepUpEndpoints));
        LogStart(logger, user.Id, user.Dealer.Value, start.Outcome);
        switch (start)
        {
            case { Begun: true, FactorType: { } factorType, ChallengeToken: { } token }:
                var stepUpHash = stepUps.Start(user, hash, token, start.Factor);
                return WireResults.Success(new StepUpStartResponse(factorType, FactorWire.Names(start.AlternativeFactors), stepUpHash));

            case { Outcome: SecondStepStartOutcome.PrincipalLocked or SecondStepStartOutcome.TooSoon }:
                return refusals.Of(start, "a new step-up can be started")!.ToResult();

            case { Outcome: SecondStepStartOutcome.NotAvailable } when factor != FactorTypes.None:
                return WireError.Invalid(
                    $"factor_type {factor.ToWireName()} cannot run for this user; available: {FactorWire.Describe(start.AlternativeFactors)}.").ToResult();

            case { Outcome: SecondStepStartOutcome.NotRequired or SecondStepStartOutcome.NotAvailable or SecondStepStartOutcome.EnrollmentRequired }:
                return WireResults.Error(
                    ErrorCode.OperationNotPermitted,
                    "Operation not permitted: no second step can run for this user now (the dealer's MFA settings require none, or only an authenticator app that is not enrolled). The dealer can reset the user's authenticator (panel/user/mfa/reset).");

            default:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");
        }
    }

    /// <summary>
    /// <c>{step_up_hash, code}</c> → <c>{success: true}</c>: the step-up is passed and may be presented once. 282 for any code
    /// that did not pass (as <c>user/auth/code/verify</c>); 105 with when to retry when the user is locked, or this
    /// step-up has used up its attempts (start a new one); 7 for a <c>step_up_hash</c> that is not a pending step-up of
    /// this session.
    /// </summary>
    private static async Task<IResult> VerifyAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        StepUps stepUps,
        ITwoFactorChallenges challenges,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!SignedInUser.TryAdmitNonDemo(context, sessions, users, out var hash, out var user, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (StepUpWire.Read(request, required: true, out var stepUpHash) is { } stepUpError)
        {
            return stepUpError.ToResult();
        }

        if (request.RequiredString("code", out var code) is { } codeError)
        {
            return codeError.ToResult();
        }

        if (!stepUps.TryFind(stepUpHash!, hash, user, out var stepUp) || stepUp.Passed)
        {
            return WireError.Invalid($"{StepUpWire.Parameter} is not a pending step-up of this session: start one with user/auth/step_up/start.").ToResult();
        }

        var result = await challenges.VerifyAsync(user.Dealer, stepUp.ChallengeToken, code, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(StepUpEndpoints));
        LogVerify(logger, user.Id, user.Dealer.Value, result.Outcome);
        switch (result.Outcome)
        {
            case ChallengeVerifyOutcome.Passed when result.PrincipalId == user.Id:
                return stepUps.TryMarkPassed(stepUpHash!, stepUp)
                    ? WireResults.Success()
                    : NvxAuthorization.SessionNotFound().ToResult();

            case ChallengeVerifyOutcome.PrincipalLocked:
            case ChallengeVerifyOutcome.Locked:
                return refusals.Of(result, "this step-up", "start a new one with user/auth/step_up/start", stepUp.Factor)!.ToResult();

            case ChallengeVerifyOutcome.Failed:
            case ChallengeVerifyOutcome.Passed:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");

            default:
                return WireResults.Error(ErrorCode.WrongAuthenticationCode, AuthCodeEndpoints.WrongCodeDescription);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} asked for a step-up: {Outcome}")]
    private static partial void LogStart(ILogger logger, long userId, long dealerId, SecondStepStartOutcome outcome);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} step-up code: {Outcome}")]
    private static partial void LogVerify(ILogger logger, long userId, long dealerId, ChallengeVerifyOutcome outcome);
}

/// <summary>The answer of <c>user/auth/step_up/start</c>.</summary>
/// <param name="FactorType">The factor the step-up runs: <c>totp</c> (type the app's code) or <c>email</c> (a code was sent).</param>
/// <param name="AlternativeFactorTypes">Factors a new <c>user/auth/step_up/start</c> may ask for instead; left out when none.</param>
/// <param name="StepUpHash">The step-up, for <c>user/auth/step_up/verify</c> and then the sensitive call.</param>
internal sealed record StepUpStartResponse(
    [property: JsonPropertyOrder(1)] string FactorType,
    [property: JsonPropertyOrder(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AlternativeFactorTypes,
    [property: JsonPropertyOrder(3)] string StepUpHash) : SuccessResponse;

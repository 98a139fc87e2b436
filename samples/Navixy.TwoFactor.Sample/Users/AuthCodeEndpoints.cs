using System.Diagnostics.CodeAnalysis;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Cryptography;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Sessions;
using Navixy.TwoFactor.Sample.Wire;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>
/// The authentication-code calls of the user API, the only ones a restricted (second factor pending) hash may
/// make besides <c>user/logout</c>: <c>user/auth/code/verify</c>, <c>user/auth/code/resend</c> and (an extension)
/// <c>user/auth/factor/switch</c>. Each finds the restricted session (error 4 for any other hash: full, panel, ended
/// or unknown) and asks the library about the challenge the session holds; the client never sees the challenge token.
/// </summary>
internal static partial class AuthCodeEndpoints
{
    /// <summary>
    /// The one public text for every code that did not pass: wrong, expired, locked, already used or unknown
    /// challenge. The outcomes differ only in the server's log.
    /// </summary>
    public const string WrongCodeDescription = "Wrong authentication code.";

    /// <summary>Maps the calls.</summary>
    /// <param name="app">The app.</param>
    public static IEndpointRouteBuilder MapAuthCodeApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/user/auth/code/verify", VerifyAsync);
        app.MapPost("/user/auth/code/resend", ResendAsync);
        app.MapPost("/user/auth/factor/switch", SwitchFactorAsync);
        return app;
    }

    /// <summary>
    /// <c>{code}</c> with a restricted hash → <c>{hash}</c>, a full session (the restricted one ends); 282 for any
    /// code that did not pass; 105 with when to retry once the user is locked after too many wrong codes, or this
    /// sign-in has used up its attempts (the restricted session then ends: sign in again). The code is the email code,
    /// the authenticator app's code, or one of the user's recovery codes (either challenge takes one, once).
    /// </summary>
    private static async Task<IResult> VerifyAsync(
        HttpContext context,
        UserSessions sessions,
        ITwoFactorChallenges challenges,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!TryFindPending(context, sessions, out var hash, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (request.RequiredString("code", out var code) is { } codeError)
        {
            return codeError.ToResult();
        }

        // Any string goes to the library: only exactly the right digits pass, anything else spends an attempt.
        var result = await challenges.VerifyAsync(session.Dealer, session.ChallengeToken, code, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthCodeEndpoints));
        switch (result.Outcome)
        {
            case ChallengeVerifyOutcome.Passed when result.PrincipalId == session.UserId:
                // The library passes a challenge once; the swap below also happens at most once per restricted hash.
                if (!sessions.TryUpgrade(hash, out var fullHash))
                {
                    return NvxAuthorization.SessionNotFound().ToResult();
                }

                LogPassed(logger, session.UserId, session.Dealer.Value);
                return WireResults.Success(new CodeVerifyResponse(fullHash));

            case ChallengeVerifyOutcome.PrincipalLocked:
            case ChallengeVerifyOutcome.Locked:
                LogNotPassed(logger, session.UserId, session.Dealer.Value, result.Outcome);
                if (result.Outcome == ChallengeVerifyOutcome.Locked)
                {
                    // This sign-in can never pass: it ends here.
                    sessions.End(hash);
                }

                _ = FactorTypesExtensions.TryParseWireName(session.FactorType, out var factor);
                return refusals.Of(result, "this sign-in", "sign in again", factor)!.ToResult();

            case ChallengeVerifyOutcome.Failed:
            case ChallengeVerifyOutcome.Passed:
                // A store failure, or a passed challenge of another principal (a faulty store): never a session.
                LogNotPassed(logger, session.UserId, session.Dealer.Value, result.Outcome);
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");

            default:
                LogNotPassed(logger, session.UserId, session.Dealer.Value, result.Outcome);
                return WireResults.Error(ErrorCode.WrongAuthenticationCode, WrongCodeDescription);
        }
    }

    /// <summary>
    /// <c>{}</c> with a restricted hash → <c>{success: true}</c>, a new code sent (the previous one stops working);
    /// 15 when too soon (the description says how long to wait) or no more codes may be sent; 105 with when to retry
    /// when the user is locked, or this sign-in has used up its attempts (the restricted session then ends);
    /// 13 when the sign-in runs an authenticator app (there is nothing to send: switch to email instead); 4 when the
    /// challenge has ended (the restricted session ends with it: sign in again).
    /// </summary>
    private static async Task<IResult> ResendAsync(
        HttpContext context,
        UserSessions sessions,
        ITwoFactorChallenges challenges,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!TryFindPending(context, sessions, out var hash, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        var result = await challenges.ResendAsync(session.Dealer, session.ChallengeToken, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthCodeEndpoints));
        LogResend(logger, session.UserId, session.Dealer.Value, result.Outcome);
        if (refusals.Of(result) is { } refusal)
        {
            if (result.Outcome == ChallengeResendOutcome.Locked)
            {
                // This sign-in can never pass: it ends here.
                sessions.End(hash);
            }

            return refusal.ToResult();
        }

        switch (result.Outcome)
        {
            case ChallengeResendOutcome.Sent:
                return WireResults.Success();

            case ChallengeResendOutcome.LimitReached:
                return WireResults.Error(ErrorCode.TooManyRequests, "Too many requests: no more codes can be sent for this sign-in; sign in again.");

            case ChallengeResendOutcome.NothingToSend:
                // The restricted session stays: the app's code (or a switch to email) still passes it.
                return WireResults.Error(
                    ErrorCode.OperationNotPermitted,
                    "Operation not permitted: this sign-in uses an authenticator app, so there is no code to send; type the app's code, a recovery code, or switch with user/auth/factor/switch.");

            case ChallengeResendOutcome.Failed:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");

            default:
                // Expired, used, unknown, or withdrawn after a failed delivery: this restricted session can never
                // pass, so it ends here and the user signs in again.
                sessions.End(hash);
                return result.Outcome == ChallengeResendOutcome.DeliveryFailed
                    ? WireResults.Error(ErrorCode.DatabaseError, "Database error.")
                    : NvxAuthorization.SessionNotFound().ToResult();
        }
    }

    /// <summary>
    /// <c>{factor_type}</c> with a restricted hash → the same answer as <c>user/auth</c> (same restricted hash): the
    /// sign-in now runs that factor (for <c>email</c> a code was sent) and the previous challenge no longer counts.
    /// Only a factor of <c>alternative_factor_types</c>, once per sign-in (7 otherwise, naming what is offered);
    /// 105 with when to retry when locked; 15 with the wait when an email code went to the user less than a minute ago
    /// (the sign-in keeps its factor and may switch later); 13 when the factor cannot run after all; 4 when the
    /// restricted session has ended.
    /// </summary>
    private static async Task<IResult> SwitchFactorAsync(
        HttpContext context,
        UserSessions sessions,
        UserDirectory users,
        ISecondStep secondStep,
        SecondStepRefusals refusals,
        ILoggerFactory loggers)
    {
        if (!TryFindPending(context, sessions, out var hash, out var session, out var denied))
        {
            return denied.ToResult();
        }

        var request = await WireRequest.ReadAsync(context);
        if (request.Error is { } malformed)
        {
            return malformed.ToResult();
        }

        if (FactorWire.ReadRequired(request, "factor_type", out var factor) is { } factorError)
        {
            return factorError.ToResult();
        }

        if ((session.AlternativeFactors & factor) != factor)
        {
            return WireError.Invalid(
                $"factor_type must be one of this sign-in's alternative_factor_types ({FactorWire.Describe(session.AlternativeFactors)}); a sign-in switches once.").ToResult();
        }

        if (!users.TryFind(session.Dealer, session.UserId, out var user))
        {
            return NvxAuthorization.SessionNotFound().ToResult();
        }

        // Claim the switch before anything is sent: of concurrent switches one starts a challenge, and a sign-in
        // switches once, so switching cannot be used to send more codes than resends would.
        var claimed = session with { AlternativeFactors = FactorTypes.None };
        if (!sessions.TryReplacePending(hash, session, claimed))
        {
            return WireError.Invalid("factor_type: this sign-in has already switched its factor.").ToResult();
        }

        var start = await secondStep.BeginAsync(user, factor, context.RequestAborted);
        var logger = loggers.CreateLogger(typeof(AuthCodeEndpoints));
        LogSwitch(logger, session.UserId, session.Dealer.Value, factor, start.Outcome);
        switch (start)
        {
            case { Begun: true, FactorType: { } factorType, ChallengeToken: { } token }:
                var switched = claimed with { FactorType = factorType, ChallengeToken = token };
                if (!sessions.TryReplacePending(hash, claimed, switched))
                {
                    // Passed, ended or expired meanwhile.
                    return NvxAuthorization.SessionNotFound().ToResult();
                }

                return WireResults.Success(new SecondFactorRequiredResponse(factorType, null, hash));

            case { Outcome: SecondStepStartOutcome.TooSoon }:
                // Nothing was started: give the switch back, so the sign-in may switch once the wait is over.
                sessions.TryReplacePending(hash, claimed, session);
                return refusals.Of(start, $"this sign-in can switch to {factor.ToWireName()}")!.ToResult();

            case { Outcome: SecondStepStartOutcome.PrincipalLocked }:
                return refusals.Of(start, string.Empty)!.ToResult();

            case { Outcome: SecondStepStartOutcome.NotAvailable or SecondStepStartOutcome.EnrollmentRequired }:
                return WireResults.Error(
                    ErrorCode.OperationNotPermitted,
                    $"Operation not permitted: factor_type {factor.ToWireName()} cannot run for this user now; the sign-in keeps its factor.");

            case { Outcome: SecondStepStartOutcome.NotRequired }:
                // The dealer's settings changed since the password was checked: sign in again.
                sessions.End(hash);
                return NvxAuthorization.SessionNotFound().ToResult();

            default:
                return WireResults.Error(ErrorCode.DatabaseError, "Database error.");
        }
    }

    private static bool TryFindPending(
        HttpContext context,
        UserSessions sessions,
        out string hash,
        [NotNullWhen(true)] out UserSession? session,
        [NotNullWhen(false)] out WireError? denied)
    {
        session = null;
        denied = NvxAuthorization.TryRead(context.Request, out hash);
        if (denied is not null)
        {
            return false;
        }

        if (!sessions.TryGetPending(hash, out session) || session.ChallengeToken is null)
        {
            session = null;
            denied = NvxAuthorization.SessionNotFound();
            return false;
        }

        return true;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} passed the second step")]
    private static partial void LogPassed(ILogger logger, long userId, long dealerId);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId}: code not accepted ({Outcome})")]
    private static partial void LogNotPassed(ILogger logger, long userId, long dealerId, ChallengeVerifyOutcome outcome);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} switched the second step to {Factor}: {Outcome}")]
    private static partial void LogSwitch(ILogger logger, long userId, long dealerId, FactorTypes factor, SecondStepStartOutcome outcome);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "User {UserId} of dealer {DealerId} asked for a new code: {Outcome}")]
    private static partial void LogResend(ILogger logger, long userId, long dealerId, ChallengeResendOutcome outcome);
}

/// <summary>The answer of <c>user/auth/code/verify</c>.</summary>
/// <param name="Hash">The full session hash.</param>
internal sealed record CodeVerifyResponse(string Hash) : SuccessResponse;

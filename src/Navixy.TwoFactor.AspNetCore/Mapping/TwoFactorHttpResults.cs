using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.AspNetCore.StepUp;
using Navixy.TwoFactor.AspNetCore.Wire;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Settings;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.AspNetCore.Mapping;

/// <summary>
/// The one mapping of the library's results onto HTTP, used by every endpoint of the package and offered to hosts with
/// their own API: each result becomes <c>{"success": true}</c> or a Navixy error (or RFC 9457 problem details, by
/// <see cref="TwoFactorHttpOptions.ErrorFormat"/>). A lockout is error 105 with when to retry, never 282 (policy.md C4);
/// a start or resend refused because a code went out too recently (C3, C9) is error 15 (HTTP 429) with the wait; any code
/// that did not pass is 282 with one text; a failure is error 1 without details. Waits travel in the description (whole
/// seconds, rounded up) and in <c>Retry-After</c>.
/// </summary>
/// <param name="time">The clock lockouts are measured on.</param>
/// <param name="options">The library's options (the resend interval).</param>
public sealed class TwoFactorHttpResults(TimeProvider time, IOptions<TwoFactorOptions> options)
{
    /// <summary>The one public text for every code that did not pass: wrong, expired, locked, already used or unknown challenge.</summary>
    public const string WrongCodeDescription = "Wrong authentication code.";

    private const string LimitExceeded = "Login attempts limit exceeded: too many wrong codes";

    /// <summary>Error 105 for a user locked after too many wrong codes.</summary>
    /// <param name="until">The library's <c>LockedUntil</c> (<see cref="DateTimeOffset.MaxValue"/>: until an administrator unlocks the user).</param>
    public NavixyError Locked(DateTimeOffset? until)
    {
        if (until is not { } end)
        {
            return new(NavixyErrorCode.LoginAttemptsExceeded, LimitExceeded + "; try again later.");
        }

        if (end == DateTimeOffset.MaxValue)
        {
            return new(NavixyErrorCode.LoginAttemptsExceeded, LimitExceeded + "; the user stays locked until an administrator unlocks it.");
        }

        var seconds = Seconds(end - time.GetUtcNow());
        return new(
            NavixyErrorCode.LoginAttemptsExceeded,
            string.Create(CultureInfo.InvariantCulture, $"{LimitExceeded}; try again in {seconds} s (at {end.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})."))
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>
    /// Error 105 for one sign-in, step-up or pending enrolment that used up its attempts: it can never pass; a new one may
    /// begin at once, or, if it would email a code, within one resend interval.
    /// </summary>
    /// <param name="what">What is locked, e.g. <c>this sign-in</c>.</param>
    /// <param name="again">What to do instead, e.g. <c>sign in again</c>.</param>
    /// <param name="factor">The factor the next one is likely to run: only <see cref="FactorTypes.Email"/> waits.</param>
    public NavixyError AttemptsUsedUp(string what, string again, FactorTypes factor)
    {
        var wait = factor == FactorTypes.Email ? options.Value.Challenges.ResendCooldown : TimeSpan.Zero;
        var seconds = Seconds(wait);
        var when = seconds == 0 ? "now" : string.Create(CultureInfo.InvariantCulture, $"in {seconds} s");
        return new(NavixyErrorCode.LoginAttemptsExceeded, $"{LimitExceeded} for {what}; {again} {when}.")
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>Error 15 with the wait.</summary>
    /// <param name="wait">How long until it may be asked again.</param>
    /// <param name="what">What may be asked then, e.g. <c>a new code can be requested</c>.</param>
    public static NavixyError TooSoon(TimeSpan wait, string what)
    {
        var seconds = Math.Max(1, Seconds(wait));
        return new(NavixyErrorCode.TooManyRequests, string.Create(CultureInfo.InvariantCulture, $"Too many requests: {what} in {seconds} s."))
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>The error of a code check, or <see langword="null"/> when it passed.</summary>
    /// <param name="result">The library's answer.</param>
    /// <param name="factor">The factor the challenge ran.</param>
    public NavixyError? ErrorOf(ChallengeVerifyResult result, FactorTypes factor) => ErrorOf(result, factor, "this sign-in", "sign in again");

    /// <summary>The error of a code check, naming what was being passed, or <see langword="null"/> when it passed.</summary>
    /// <param name="result">The library's answer.</param>
    /// <param name="factor">The factor the challenge ran.</param>
    /// <param name="what">What was being passed, e.g. <c>this step-up</c>.</param>
    /// <param name="again">What to do instead once it is used up, e.g. <c>start a new one</c>.</param>
    public NavixyError? ErrorOf(ChallengeVerifyResult result, FactorTypes factor, string what, string again) => result.Outcome switch
    {
        ChallengeVerifyOutcome.Passed => null,
        ChallengeVerifyOutcome.PrincipalLocked => Locked(result.LockedUntil),
        ChallengeVerifyOutcome.Locked => AttemptsUsedUp(what, again, factor),
        ChallengeVerifyOutcome.Failed => NavixyError.DatabaseError(),
        _ => new(NavixyErrorCode.WrongAuthenticationCode, WrongCodeDescription),
    };

    /// <summary>The error of a resend, or <see langword="null"/> when a code was sent.</summary>
    /// <param name="result">The library's answer.</param>
    public NavixyError? ErrorOf(ChallengeResendResult result) => result.Outcome switch
    {
        ChallengeResendOutcome.Sent => null,
        ChallengeResendOutcome.PrincipalLocked => Locked(result.LockedUntil),
        ChallengeResendOutcome.Locked => AttemptsUsedUp("this sign-in", "sign in again", FactorTypes.Email),
        ChallengeResendOutcome.TooSoon => TooSoon(result.Wait, "a new code can be requested"),
        ChallengeResendOutcome.LimitReached => new(NavixyErrorCode.TooManyRequests, "Too many requests: no more codes can be sent for this sign-in; sign in again."),
        ChallengeResendOutcome.NothingToSend => new(
            NavixyErrorCode.OperationNotPermitted,
            "Operation not permitted: this sign-in uses an authenticator app, so there is no code to send; type the app's code, a recovery code, or switch with user/auth/factor/switch."),
        ChallengeResendOutcome.Failed or ChallengeResendOutcome.DeliveryFailed => NavixyError.DatabaseError(),
        _ => NvxAuthorization.SessionNotFound(),
    };

    /// <summary>The error of a challenge start, or <see langword="null"/> when it started.</summary>
    /// <param name="result">The library's answer.</param>
    public NavixyError? ErrorOf(ChallengeStartResult result) => ErrorOf(result, "a new code can be sent");

    /// <summary>The error of a challenge start, naming what may be asked after a wait, or <see langword="null"/> when it started.</summary>
    /// <param name="result">The library's answer.</param>
    /// <param name="tooSoon">What may be asked after the wait, e.g. <c>a code can be sent again; sign in</c>.</param>
    public NavixyError? ErrorOf(ChallengeStartResult result, string tooSoon) => result.Outcome switch
    {
        ChallengeStartOutcome.Started => null,
        ChallengeStartOutcome.PrincipalLocked => Locked(result.LockedUntil),
        ChallengeStartOutcome.TooSoon => TooSoon(result.RetryAfter, tooSoon),
        ChallengeStartOutcome.EnrollmentRequired when result.EnrollUntil is { } ended => EnrollmentPeriodEnded(ended),
        ChallengeStartOutcome.EnrollmentRequired => new(
            NavixyErrorCode.OperationNotPermitted,
            "Operation not permitted: this user must pass with an authenticator app and has none enrolled. No session was created; the dealer can allow email codes as well, so that the user can sign in and enrol one, or set an enrolment period."),
        ChallengeStartOutcome.EnrollNow => new(
            NavixyErrorCode.OperationNotPermitted,
            string.Create(CultureInfo.InvariantCulture, $"Operation not permitted: this user must enrol an authenticator app first (user/auth answers enrollment_required until {result.EnrollUntil?.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}).")),
        ChallengeStartOutcome.FactorUnavailable or ChallengeStartOutcome.NotRequired => new(
            NavixyErrorCode.OperationNotPermitted,
            "Operation not permitted: this user must pass two-factor authentication and none of the allowed factors can run. No session was created."),
        _ => NavixyError.DatabaseError(),
    };

    /// <summary>The error of an enrolment confirmation, regeneration or removal, or <see langword="null"/> when it succeeded.</summary>
    /// <param name="result">The library's answer.</param>
    public NavixyError? ErrorOf(TotpEnrollmentResult result) => result.Outcome switch
    {
        TotpEnrollmentOutcome.Confirmed or TotpEnrollmentOutcome.RecoveryCodesRegenerated or TotpEnrollmentOutcome.Disabled or TotpEnrollmentOutcome.Reset => null,
        TotpEnrollmentOutcome.PrincipalLocked => Locked(result.LockedUntil),
        // A new begin usually needs a step-up, which may email a code.
        TotpEnrollmentOutcome.Locked => AttemptsUsedUp("this enrolment", "begin again with user/auth/totp/begin", FactorTypes.Email),
        TotpEnrollmentOutcome.WrongCode or TotpEnrollmentOutcome.InvalidInput => new(NavixyErrorCode.WrongAuthenticationCode, WrongCodeDescription),
        TotpEnrollmentOutcome.Expired or TotpEnrollmentOutcome.NoPendingEnrollment => new(
            NavixyErrorCode.OperationNotPermitted,
            "Operation not permitted: no authenticator app awaits confirmation; begin again with user/auth/totp/begin and confirm before its expires_at."),
        TotpEnrollmentOutcome.NotEnrolled => new(NavixyErrorCode.OperationNotPermitted, "Operation not permitted: this user has no authenticator app enrolled."),
        TotpEnrollmentOutcome.StepUpRequired => StepUp.StepUpWire.NotAccepted(),
        _ => NavixyError.DatabaseError(),
    };

    /// <summary>The error of an enrolment begin, or <see langword="null"/> when it began.</summary>
    /// <param name="result">The library's answer.</param>
    public NavixyError? ErrorOf(TotpEnrollmentBeginResult result) => result.Outcome switch
    {
        TotpEnrollmentOutcome.Begun => null,
        TotpEnrollmentOutcome.PrincipalLocked => Locked(result.LockedUntil),
        TotpEnrollmentOutcome.StepUpRequired => StepUp.StepUpWire.NotAccepted(),
        _ => NavixyError.DatabaseError(),
    };

    /// <summary>
    /// The error of a settings update, or <see langword="null"/> when applied: 201 when every reason is an id that is not an
    /// account of the dealer (unknown, another dealer's, or a sub-user), otherwise 7; the description lists every reason. A
    /// store failure (<see cref="SettingsUpdateResult.IsFailed"/>) is error 1.
    /// </summary>
    /// <param name="result">The library's answer.</param>
    public static NavixyError? ErrorOf(SettingsUpdateResult result) =>
        result.Succeeded ? null : result.IsFailed ? NavixyError.DatabaseError() : SettingsWireErrors.Rejected(result);

    /// <summary>A code check as an HTTP result: <c>{"success": true}</c> when passed.</summary>
    /// <param name="result">The library's answer.</param>
    /// <param name="factor">The factor the challenge ran.</param>
    public IResult ToResult(ChallengeVerifyResult result, FactorTypes factor) => Of(ErrorOf(result, factor));

    /// <summary>A resend as an HTTP result: <c>{"success": true}</c> when sent.</summary>
    /// <param name="result">The library's answer.</param>
    public IResult ToResult(ChallengeResendResult result) => Of(ErrorOf(result));

    /// <summary>A challenge start as an HTTP result: <c>{"success": true}</c> when started (the token is never written).</summary>
    /// <param name="result">The library's answer.</param>
    public IResult ToResult(ChallengeStartResult result) => Of(ErrorOf(result));

    /// <summary>An enrolment result as an HTTP result: <c>{"success": true}</c> when it succeeded (recovery codes are never written here).</summary>
    /// <param name="result">The library's answer.</param>
    public IResult ToResult(TotpEnrollmentResult result) => Of(ErrorOf(result));

    /// <summary>An enrolment begin as an HTTP result: <c>{"success": true}</c> when begun (the secret is never written here).</summary>
    /// <param name="result">The library's answer.</param>
    public IResult ToResult(TotpEnrollmentBeginResult result) => Of(ErrorOf(result));

    /// <summary>A settings update as an HTTP result: <c>{"success": true}</c> when applied.</summary>
    /// <param name="result">The library's answer.</param>
    public static IResult ToResult(SettingsUpdateResult result) => Of(ErrorOf(result));

    /// <summary>Error 13: the user's enrolment period ended; no one is let in, not even to enrol (policy.md G1).</summary>
    /// <param name="ended">When it ended.</param>
    internal static NavixyError EnrollmentPeriodEnded(DateTimeOffset ended) => new(
        NavixyErrorCode.OperationNotPermitted,
        string.Create(CultureInfo.InvariantCulture, $"Operation not permitted: this user must pass with an authenticator app and has none enrolled, and its enrolment period ended at {ended.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}. No session was created; the dealer's administrator can reset the user's authenticator to start a new enrolment period."));

    private static IResult Of(NavixyError? error) => error?.ToResult() ?? NavixyResults.Success();

    private static long Seconds(TimeSpan wait) => Math.Max(0, (long)Math.Ceiling(wait.TotalSeconds));
}

using System.Globalization;
using Microsoft.Extensions.Options;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;
using Navixy.TwoFactor.Sample.Users;
using Navixy.TwoFactor.Totp;

namespace Navixy.TwoFactor.Sample.Wire;

/// <summary>
/// The one mapping of the library's lockouts and cooldowns onto the wire, used by every path that can meet them:
/// <c>user/auth</c>, <c>user/auth/code/verify</c> and <c>/resend</c>, <c>user/auth/factor/switch</c>,
/// <c>user/auth/step_up/start</c> and <c>/verify</c>, <c>user/auth/totp/begin</c> and <c>/confirm</c>.
/// <list type="bullet">
/// <item>A lockout is error 105 with when to retry, never 282 (policy.md C4): the user locked after too many wrong codes
/// (until the library's <c>LockedUntil</c>), or one sign-in, step-up or pending enrolment that used up its attempts (it can
/// never pass; a new one can begin at the latest one resend interval from now).</item>
/// <item>A start or resend refused because a code went out less than the resend interval ago (C3, C9) is error 15
/// (HTTP 429) with the wait.</item>
/// </list>
/// The wait is in the description (whole seconds, rounded up) and in the <c>Retry-After</c> header.
/// </summary>
internal sealed class SecondStepRefusals(TimeProvider time, IOptions<TwoFactorOptions> options)
{
    private const string LimitExceeded = "Login attempts limit exceeded: too many wrong codes";

    /// <summary>Error 105 for a locked user; <paramref name="until"/> is the library's <c>LockedUntil</c>.</summary>
    /// <param name="until">Until when (<see cref="DateTimeOffset.MaxValue"/>: until an administrator unlocks the user).</param>
    public WireError Locked(DateTimeOffset? until)
    {
        if (until is not { } end)
        {
            return new(ErrorCode.LoginAttemptsExceeded, LimitExceeded + "; try again later.");
        }

        if (end == DateTimeOffset.MaxValue)
        {
            return new(ErrorCode.LoginAttemptsExceeded, LimitExceeded + "; the user stays locked until an administrator unlocks it.");
        }

        var seconds = Seconds(end - time.GetUtcNow());
        return new(
            ErrorCode.LoginAttemptsExceeded,
            string.Create(CultureInfo.InvariantCulture, $"{LimitExceeded}; try again in {seconds} s (at {end.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})."))
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>
    /// Error 105 for one sign-in, step-up or pending enrolment that used up its attempts: it can never pass; a new one
    /// may begin at once, or, if it would email a code, within one resend interval (the last code went out no later than now).
    /// </summary>
    /// <param name="what">What is locked, e.g. <c>this sign-in</c>.</param>
    /// <param name="again">What to do instead, e.g. <c>sign in again</c>.</param>
    /// <param name="factor">The factor the next one is likely to run: only <see cref="FactorTypes.Email"/> waits.</param>
    public WireError AttemptsUsedUp(string what, string again, FactorTypes factor)
    {
        var wait = factor == FactorTypes.Email ? options.Value.Challenges.ResendCooldown : TimeSpan.Zero;
        var seconds = Seconds(wait);
        var when = seconds == 0 ? "now" : string.Create(CultureInfo.InvariantCulture, $"in {seconds} s");
        return new(ErrorCode.LoginAttemptsExceeded, $"{LimitExceeded} for {what}; {again} {when}.")
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>Error 15 with the wait.</summary>
    /// <param name="wait">How long until it may be asked again.</param>
    /// <param name="what">What may be asked then, e.g. <c>a new code can be requested</c>.</param>
    public static WireError TooSoon(TimeSpan wait, string what)
    {
        var seconds = Math.Max(1, Seconds(wait));
        return new(ErrorCode.TooManyRequests, string.Create(CultureInfo.InvariantCulture, $"Too many requests: {what} in {seconds} s."))
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    /// <summary>The refusal of a code check (login or step-up verify), or <see langword="null"/> when it is none.</summary>
    /// <param name="result">The library's answer.</param>
    /// <param name="what">What was being passed, e.g. <c>this sign-in</c>.</param>
    /// <param name="again">What to do instead, e.g. <c>sign in again</c>.</param>
    /// <param name="factor">The factor the challenge ran.</param>
    public WireError? Of(ChallengeVerifyResult result, string what, string again, FactorTypes factor) => result.Outcome switch
    {
        ChallengeVerifyOutcome.PrincipalLocked => Locked(result.LockedUntil),
        ChallengeVerifyOutcome.Locked => AttemptsUsedUp(what, again, factor),
        _ => null,
    };

    /// <summary>The refusal of a start (login, switch, step-up), or <see langword="null"/> when it is none.</summary>
    /// <param name="start">The second step's answer.</param>
    /// <param name="tooSoon">What may be asked after the wait, e.g. <c>a code can be sent again; sign in</c>.</param>
    public WireError? Of(SecondStepStart start, string tooSoon) => start.Outcome switch
    {
        SecondStepStartOutcome.PrincipalLocked => Locked(start.LockedUntil),
        SecondStepStartOutcome.TooSoon => TooSoon(start.RetryAfter, tooSoon),
        _ => null,
    };

    /// <summary>The refusal of a resend, or <see langword="null"/> when it is none.</summary>
    /// <param name="result">The library's answer.</param>
    public WireError? Of(ChallengeResendResult result) => result.Outcome switch
    {
        ChallengeResendOutcome.PrincipalLocked => Locked(result.LockedUntil),
        ChallengeResendOutcome.Locked => AttemptsUsedUp("this sign-in", "sign in again", FactorTypes.Email),
        ChallengeResendOutcome.TooSoon => TooSoon(result.Wait, "a new code can be requested"),
        _ => null,
    };

    /// <summary>The refusal of an enrolment confirmation, or <see langword="null"/> when it is none.</summary>
    /// <param name="result">The library's answer.</param>
    public WireError? Of(TotpEnrollmentResult result) => result.Outcome switch
    {
        TotpEnrollmentOutcome.PrincipalLocked => Locked(result.LockedUntil),
        // A new begin usually needs a step-up, which may email a code.
        TotpEnrollmentOutcome.Locked => AttemptsUsedUp("this enrolment", "begin again with user/auth/totp/begin", FactorTypes.Email),
        _ => null,
    };

    /// <summary>The refusal of an enrolment begin, or <see langword="null"/> when it is none.</summary>
    /// <param name="result">The library's answer.</param>
    public WireError? Of(TotpEnrollmentBeginResult result) =>
        result.Outcome == TotpEnrollmentOutcome.PrincipalLocked ? Locked(result.LockedUntil) : null;

    private static long Seconds(TimeSpan wait) => Math.Max(0, (long)Math.Ceiling(wait.TotalSeconds));
}

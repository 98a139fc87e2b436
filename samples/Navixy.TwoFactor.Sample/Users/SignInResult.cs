using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Sample.Users;

/// <summary>How a <c>user/auth</c> ended.</summary>
internal enum SignInStatus
{
    /// <summary>No second step needed: a full session was started.</summary>
    SignedIn = 1,

    /// <summary>The password was right and the second step has begun: a restricted session was started.</summary>
    SecondFactorRequired = 2,

    /// <summary>Unknown login or wrong password (error 102).</summary>
    WrongLoginOrPassword = 3,

    /// <summary>
    /// Too many wrong passwords for this login, or too many wrong codes for this user (error 105; for the latter
    /// <see cref="SignInResult.SecondStep"/> says until when).
    /// </summary>
    Locked = 4,

    /// <summary>A second step is required and this host cannot run any of the user's factors: no session at all (error 13).</summary>
    SecondStepNotAvailable = 5,

    /// <summary>The password was right but the library has no record of the user: refused, no session (error 1).</summary>
    PolicyUnknown = 6,

    /// <summary>The second step is required but could not begin (a store or the email stand-in failed): no session (error 1).</summary>
    SecondStepFailed = 7,

    /// <summary>
    /// Only an authenticator app may pass this user and none is enrolled: no session at all (error 13). Never a
    /// bypass, and no enrolment on the password alone either (a stolen password must not be enough to bind an app).
    /// </summary>
    EnrollmentRequired = 8,

    /// <summary>
    /// The password was right, but an email code went to this user less than a minute ago (policy.md C9): nothing was
    /// sent and no session started (error 15 with the wait, from <see cref="SignInResult.SecondStep"/>).
    /// </summary>
    TooSoon = 9,
}

/// <summary>The outcome of a <c>user/auth</c>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Hash">The session hash (full, or restricted for <see cref="SignInStatus.SecondFactorRequired"/>); otherwise <see langword="null"/>.</param>
/// <param name="FactorType">For <see cref="SignInStatus.SecondFactorRequired"/>, the factor's wire name.</param>
/// <param name="AlternativeFactors">For <see cref="SignInStatus.SecondFactorRequired"/>, the factors the user may switch to.</param>
internal sealed record SignInResult(SignInStatus Status, string? Hash = null, string? FactorType = null, FactorTypes AlternativeFactors = FactorTypes.None)
{
    /// <summary>The second step's refusal (locked, too soon), which carries when to retry; otherwise <see langword="null"/>.</summary>
    public SecondStepStart? SecondStep { get; init; }

    /// <summary>Describes the outcome without the hash.</summary>
    public override string ToString() => FactorType is null ? Status.ToString() : $"{Status} ({FactorType})";
}

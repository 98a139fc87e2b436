namespace Navixy.TwoFactor.Totp;

/// <summary>What an enrolment operation answered. <c>default</c> is <see cref="Failed"/>.</summary>
public enum TotpEnrollmentOutcome
{
    /// <summary>A store or the resolver failed, or a stored secret could not be read; nothing was shown or changed for sure.</summary>
    Failed = 0,

    /// <summary>A new secret awaits confirmation; show it once (<see cref="TotpEnrollmentBeginResult.Secret"/>, <see cref="TotpEnrollmentBeginResult.OtpAuthUri"/>).</summary>
    Begun = 1,

    /// <summary>The code confirmed the new secret; it is active (replacing any earlier one) and fresh recovery codes were issued.</summary>
    Confirmed = 2,

    /// <summary>A new set of recovery codes replaced the old one, which no longer works.</summary>
    RecoveryCodesRegenerated = 3,

    /// <summary>The principal turned its authenticator off; its secret and recovery codes are gone.</summary>
    Disabled = 4,

    /// <summary>An administrator removed the principal's authenticator (active and pending) and recovery codes.</summary>
    Reset = 5,

    /// <summary>The confirmation code is wrong; it counts toward the principal's lockout like a wrong login code.</summary>
    WrongCode = 6,

    /// <summary>The begun enrolment expired before it was confirmed; begin again.</summary>
    Expired = 7,

    /// <summary>No begun enrolment awaits confirmation (never begun, replaced by a later begin, or already confirmed).</summary>
    NoPendingEnrollment = 8,

    /// <summary>The principal has no active authenticator.</summary>
    NotEnrolled = 9,

    /// <summary>
    /// The change needs a fresh second step: pass a challenge (start and verify) and present its token within the step-up
    /// lifetime. Answered for no token, a malformed one, one not passed, passed by another principal, too old, or used before.
    /// </summary>
    StepUpRequired = 10,

    /// <summary>The principal is not registered in the tenant.</summary>
    UnknownPrincipal = 11,

    /// <summary>Too many consecutive wrong codes: see <see cref="TotpEnrollmentResult.LockedUntil"/>.</summary>
    PrincipalLocked = 12,

    /// <summary>The confirmation code is not exactly the configured number of ASCII digits; nothing was counted.</summary>
    InvalidInput = 13,

    /// <summary>
    /// The pending enrolment took as many wrong confirmation codes as it may (<c>Challenges.MaxAttempts</c>); begin again.
    /// </summary>
    Locked = 14,
}

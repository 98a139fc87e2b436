namespace Navixy.TwoFactor.Totp;

/// <summary>A principal's authenticator state, as <see cref="ITotpEnrollment.GetStatusAsync"/> reads it. Never carries a secret.</summary>
/// <param name="IsEnrolled">Whether an authenticator is active.</param>
/// <param name="HasPendingEnrollment">Whether a begun enrolment awaits confirmation and has not expired.</param>
/// <param name="RecoveryCodesLeft">How many unused recovery codes the principal has.</param>
public readonly record struct TotpEnrollmentStatus(bool IsEnrolled, bool HasPendingEnrollment, int RecoveryCodesLeft);

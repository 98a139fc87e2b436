namespace Navixy.TwoFactor.Diagnostics;

/// <summary>The tag values of audit event kinds (<see cref="TwoFactorTelemetry.EventTag"/> and <see cref="TwoFactorTelemetry.OutcomeTag"/>).</summary>
internal static class TwoFactorEventNames
{
    public const string Success = "success";
    public const string Refused = "refused";
    public const string Error = "error";

    public static string Of(TwoFactorAuditEventKind kind) => kind switch
    {
        TwoFactorAuditEventKind.ChallengeStarted => "challenge.started",
        TwoFactorAuditEventKind.CodeSent => "code.sent",
        TwoFactorAuditEventKind.CodeDeliveryFailed => "code.delivery_failed",
        TwoFactorAuditEventKind.Passed => "verify.passed",
        TwoFactorAuditEventKind.WrongCode => "verify.wrong_code",
        TwoFactorAuditEventKind.ChallengeLocked => "challenge.locked",
        TwoFactorAuditEventKind.PrincipalLocked => "principal.locked",
        TwoFactorAuditEventKind.CodeResent => "code.resent",
        TwoFactorAuditEventKind.ResendRefused => "resend.refused",
        TwoFactorAuditEventKind.Expired => "challenge.expired",
        TwoFactorAuditEventKind.Replayed => "verify.replayed",
        TwoFactorAuditEventKind.LockedChallengeAttempt => "challenge.locked_attempt",
        TwoFactorAuditEventKind.LockedPrincipalAttempt => "principal.locked_attempt",
        TwoFactorAuditEventKind.UnknownToken => "verify.unknown_token",
        TwoFactorAuditEventKind.InvalidInput => "verify.invalid_input",
        TwoFactorAuditEventKind.PrincipalUnlocked => "principal.unlocked",
        TwoFactorAuditEventKind.SettingsChanged => "settings.changed",
        TwoFactorAuditEventKind.StoreFailed => "store.failed",
        TwoFactorAuditEventKind.TotpReplayRefused => "totp.replay_refused",
        TwoFactorAuditEventKind.RecoveryCodeUsed => "recovery_code.used",
        TwoFactorAuditEventKind.RecoveryCodeRejected => "recovery_code.rejected",
        TwoFactorAuditEventKind.TotpEnrollmentBegun => "totp.enrollment_begun",
        TwoFactorAuditEventKind.TotpEnrollmentConfirmed => "totp.enrollment_confirmed",
        TwoFactorAuditEventKind.TotpConfirmationFailed => "totp.confirmation_failed",
        TwoFactorAuditEventKind.TotpReset => "totp.reset",
        TwoFactorAuditEventKind.TotpDisabled => "totp.disabled",
        TwoFactorAuditEventKind.RecoveryCodesRegenerated => "recovery_code.regenerated",
        TwoFactorAuditEventKind.StepUpAccepted => "step_up.accepted",
        TwoFactorAuditEventKind.StepUpRefused => "step_up.refused",
        TwoFactorAuditEventKind.TotpEnrollmentRequired => "totp.enrollment_required",
        TwoFactorAuditEventKind.TotpSecretUnreadable => "totp.secret_unreadable",
        TwoFactorAuditEventKind.StartRefused => "challenge.start_refused",
        TwoFactorAuditEventKind.DeviceRemembered => "device.remembered",
        TwoFactorAuditEventKind.RememberedDeviceAccepted => "device.accepted",
        TwoFactorAuditEventKind.RememberedDeviceIgnored => "device.ignored",
        TwoFactorAuditEventKind.DevicesForgotten => "device.forgotten",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown audit event kind."),
    };

    public static string OutcomeOf(TwoFactorAuditEventKind kind) => kind switch
    {
        TwoFactorAuditEventKind.ChallengeStarted or TwoFactorAuditEventKind.CodeSent or TwoFactorAuditEventKind.Passed
            or TwoFactorAuditEventKind.CodeResent or TwoFactorAuditEventKind.PrincipalUnlocked or TwoFactorAuditEventKind.SettingsChanged
            or TwoFactorAuditEventKind.RecoveryCodeUsed or TwoFactorAuditEventKind.TotpEnrollmentBegun
            or TwoFactorAuditEventKind.TotpEnrollmentConfirmed or TwoFactorAuditEventKind.TotpReset or TwoFactorAuditEventKind.TotpDisabled
            or TwoFactorAuditEventKind.RecoveryCodesRegenerated or TwoFactorAuditEventKind.StepUpAccepted
            or TwoFactorAuditEventKind.DeviceRemembered or TwoFactorAuditEventKind.RememberedDeviceAccepted or TwoFactorAuditEventKind.DevicesForgotten => Success,
        TwoFactorAuditEventKind.CodeDeliveryFailed or TwoFactorAuditEventKind.StoreFailed
            or TwoFactorAuditEventKind.TotpSecretUnreadable => Error,
        _ => Enum.IsDefined(kind) ? Refused : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown audit event kind."),
    };
}

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// What an audit event records. Each event is also one measurement of the <c>navixy.twofactor.events</c> counter of the
/// <c>Navixy.TwoFactor</c> meter (<see cref="TwoFactorTelemetry"/>), tagged <c>navixy.twofactor.event</c> with the value in
/// the member's documentation, <c>navixy.twofactor.outcome</c> (<c>success</c>, <c>refused</c> or <c>error</c>) and, for an
/// event about a factor, <c>navixy.twofactor.factor</c> (<c>email</c> or <c>totp</c>), so that, for example, authenticator
/// passes and wrong authenticator codes can be counted apart.
/// </summary>
public enum TwoFactorAuditEventKind
{
    /// <summary>A challenge was created (<c>challenge.started</c>).</summary>
    ChallengeStarted = 1,

    /// <summary>A code was handed to the sender, first send or resend (<c>code.sent</c>).</summary>
    CodeSent = 2,

    /// <summary>The sender failed; the challenge was withdrawn (<c>code.delivery_failed</c>).</summary>
    CodeDeliveryFailed = 3,

    /// <summary>A right code passed the second step (<c>verify.passed</c>).</summary>
    Passed = 4,

    /// <summary>A wrong or malformed code was evaluated (<c>verify.wrong_code</c>).</summary>
    WrongCode = 5,

    /// <summary>A wrong code used up the challenge's attempts (<c>challenge.locked</c>).</summary>
    ChallengeLocked = 6,

    /// <summary>A wrong code locked the principal (<c>principal.locked</c>).</summary>
    PrincipalLocked = 7,

    /// <summary>A resend replaced the code (<c>code.resent</c>).</summary>
    CodeResent = 8,

    /// <summary>A resend was refused: too soon or send limit reached (<c>resend.refused</c>).</summary>
    ResendRefused = 9,

    /// <summary>A verify or resend met an expired code or challenge (<c>challenge.expired</c>).</summary>
    Expired = 10,

    /// <summary>A verify or resend met an already passed challenge: a replay (<c>verify.replayed</c>).</summary>
    Replayed = 11,

    /// <summary>A verify or resend met a challenge locked for good (<c>challenge.locked_attempt</c>).</summary>
    LockedChallengeAttempt = 12,

    /// <summary>A start, verify or resend met a locked principal (<c>principal.locked_attempt</c>).</summary>
    LockedPrincipalAttempt = 13,

    /// <summary>A verify or resend named no challenge of the tenant (<c>verify.unknown_token</c>).</summary>
    UnknownToken = 14,

    /// <summary>A verify or resend passed a malformed token (<c>verify.invalid_input</c>).</summary>
    InvalidInput = 15,

    /// <summary>The host cleared a principal's failures or lockout (<c>principal.unlocked</c>).</summary>
    PrincipalUnlocked = 16,

    /// <summary>A settings update, default update or enforce-for-everyone was applied (<c>settings.changed</c>).</summary>
    SettingsChanged = 17,

    /// <summary>A store or the resolver failed; the answer was failed, never passed (<c>store.failed</c>).</summary>
    StoreFailed = 18,

    /// <summary>
    /// An authenticator code for a time step at or before the last accepted one was refused: a replay. A wrong-code event
    /// follows (<c>totp.replay_refused</c>).
    /// </summary>
    TotpReplayRefused = 19,

    /// <summary>A recovery code passed a challenge; it is now used (<c>recovery_code.used</c>).</summary>
    RecoveryCodeUsed = 20,

    /// <summary>
    /// A value shaped like a recovery code was not an unused code of the principal. A wrong-code event follows
    /// (<c>recovery_code.rejected</c>).
    /// </summary>
    RecoveryCodeRejected = 21,

    /// <summary>An authenticator enrolment was begun; its secret awaits confirmation (<c>totp.enrollment_begun</c>).</summary>
    TotpEnrollmentBegun = 22,

    /// <summary>A right code confirmed an authenticator enrolment; it is active (<c>totp.enrollment_confirmed</c>).</summary>
    TotpEnrollmentConfirmed = 23,

    /// <summary>A wrong code was given to confirm an authenticator enrolment (<c>totp.confirmation_failed</c>).</summary>
    TotpConfirmationFailed = 24,

    /// <summary>An administrator reset a principal's authenticator and recovery codes (<c>totp.reset</c>).</summary>
    TotpReset = 25,

    /// <summary>A principal turned its authenticator off, with step-up proof (<c>totp.disabled</c>).</summary>
    TotpDisabled = 26,

    /// <summary>A principal's recovery codes were replaced by a new set (<c>recovery_code.regenerated</c>).</summary>
    RecoveryCodesRegenerated = 27,

    /// <summary>A passed challenge was redeemed as step-up proof for a sensitive change (<c>step_up.accepted</c>).</summary>
    StepUpAccepted = 28,

    /// <summary>
    /// A sensitive change was refused for want of step-up proof: none, malformed, another principal's, not passed, too old,
    /// or already used (<c>step_up.refused</c>).
    /// </summary>
    StepUpRefused = 29,

    /// <summary>
    /// A start answered enrolment required, or enrol now inside the principal's enrolment period (policy.md G1): the
    /// principal may pass only with an authenticator it has not enrolled (<c>totp.enrollment_required</c>).
    /// </summary>
    TotpEnrollmentRequired = 30,

    /// <summary>
    /// A stored authenticator secret failed authentication (tampered, or the key material changed); the answer was failed,
    /// never passed (<c>totp.secret_unreadable</c>).
    /// </summary>
    TotpSecretUnreadable = 31,

    /// <summary>
    /// A start that would send a code was refused: one went to the principal less than the resend interval ago
    /// (policy.md C9; <c>challenge.start_refused</c>).
    /// </summary>
    StartRefused = 32,

    /// <summary>A device was remembered for the principal after a pass (policy.md D1; <c>navixy.twofactor.device.remembered</c>).</summary>
    DeviceRemembered = 40,

    /// <summary>A start honoured a remembered device: no second step this time (D2; <c>navixy.twofactor.device.accepted</c>).</summary>
    RememberedDeviceAccepted = 41,

    /// <summary>
    /// A start was presented a device token it did not honour (malformed, unknown, another principal's or tenant's, voided by
    /// a settings change, a reset or a replaced factor, forgotten or expired); the start went on as without it (D2;
    /// <c>navixy.twofactor.device.ignored</c>).
    /// </summary>
    RememberedDeviceIgnored = 42,

    /// <summary>Remembered devices of the principal were forgotten, one or all (D3; <c>navixy.twofactor.device.forgotten</c>).</summary>
    DevicesForgotten = 43,
}

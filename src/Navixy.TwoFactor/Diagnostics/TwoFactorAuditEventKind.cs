namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// What an audit event records. Each kind is also a counter of the <c>Navixy.TwoFactor</c> meter, named in the
/// member's documentation.
/// </summary>
public enum TwoFactorAuditEventKind
{
    /// <summary>A challenge was created (<c>navixy.twofactor.challenge.started</c>).</summary>
    ChallengeStarted = 1,

    /// <summary>A code was handed to the sender, first send or resend (<c>navixy.twofactor.code.sent</c>).</summary>
    CodeSent = 2,

    /// <summary>The sender failed; the challenge was withdrawn (<c>navixy.twofactor.code.delivery_failed</c>).</summary>
    CodeDeliveryFailed = 3,

    /// <summary>A right code passed the second step (<c>navixy.twofactor.verify.passed</c>).</summary>
    Passed = 4,

    /// <summary>A wrong or malformed code was evaluated (<c>navixy.twofactor.verify.wrong_code</c>).</summary>
    WrongCode = 5,

    /// <summary>A wrong code used up the challenge's attempts (<c>navixy.twofactor.challenge.locked</c>).</summary>
    ChallengeLocked = 6,

    /// <summary>A wrong code locked the principal (<c>navixy.twofactor.principal.locked</c>).</summary>
    PrincipalLocked = 7,

    /// <summary>A resend replaced the code (<c>navixy.twofactor.code.resent</c>).</summary>
    CodeResent = 8,

    /// <summary>A resend was refused: too soon or send limit reached (<c>navixy.twofactor.resend.refused</c>).</summary>
    ResendRefused = 9,

    /// <summary>A verify or resend met an expired code or challenge (<c>navixy.twofactor.challenge.expired</c>).</summary>
    Expired = 10,

    /// <summary>A verify or resend met an already passed challenge: a replay (<c>navixy.twofactor.verify.replayed</c>).</summary>
    Replayed = 11,

    /// <summary>A verify or resend met a challenge locked for good (<c>navixy.twofactor.challenge.locked_attempt</c>).</summary>
    LockedChallengeAttempt = 12,

    /// <summary>A start, verify or resend met a locked principal (<c>navixy.twofactor.principal.locked_attempt</c>).</summary>
    LockedPrincipalAttempt = 13,

    /// <summary>A verify or resend named no challenge of the tenant (<c>navixy.twofactor.verify.unknown_token</c>).</summary>
    UnknownToken = 14,

    /// <summary>A verify or resend passed a malformed token (<c>navixy.twofactor.verify.invalid_input</c>).</summary>
    InvalidInput = 15,

    /// <summary>The host cleared a principal's failures or lockout (<c>navixy.twofactor.principal.unlocked</c>).</summary>
    PrincipalUnlocked = 16,

    /// <summary>A settings update, default update or enforce-for-everyone was applied (<c>navixy.twofactor.settings.changed</c>).</summary>
    SettingsChanged = 17,

    /// <summary>A store or the resolver failed; the answer was failed, never passed (<c>navixy.twofactor.store.failed</c>).</summary>
    StoreFailed = 18,
}

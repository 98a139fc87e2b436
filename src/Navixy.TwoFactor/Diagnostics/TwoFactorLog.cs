using Microsoft.Extensions.Logging;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// The engine's log messages ([LoggerMessage] source-generated). None takes a code, key or token; exceptions
/// thrown by host code (senders, sinks) are logged by type only, since their messages are not ours to trust.
/// </summary>
internal static partial class TwoFactorLog
{
    /// <summary>The log category of the engine.</summary>
    public const string Category = "Navixy.TwoFactor";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "TwoFactorOptions.KeyMaterial is not configured: using an ephemeral random key for this process. Challenges do not survive a restart and nodes cannot share a store; configure key material for production.")]
    public static partial void EphemeralKeyMaterial(ILogger logger);

    [LoggerMessage(EventId = 2, Message = "Two-factor {EventKind} (factor {Factor}, tenant {TenantId}, principal {PrincipalId})")]
    public static partial void AuditEvent(ILogger logger, LogLevel level, TwoFactorAuditEventKind eventKind, Policy.FactorTypes factor, long tenantId, long? principalId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Audit sink {SinkType} failed with {ExceptionType}; the outcome is unchanged")]
    public static partial void AuditSinkFailed(ILogger logger, string sinkType, string exceptionType);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Email code sender {SenderType} failed with {ExceptionType} (tenant {TenantId}, principal {PrincipalId}); the challenge was withdrawn")]
    public static partial void SenderFailed(ILogger logger, string senderType, string exceptionType, long tenantId, long principalId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Two-factor {Operation} failed in a store or the resolver (tenant {TenantId}); answering failed, never passed")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string operation, long tenantId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Principal {PrincipalId} of tenant {TenantId} needs a second step with {Factors}, but no factor can run: {Why}")]
    public static partial void FactorUnavailable(ILogger logger, long tenantId, long principalId, Policy.FactorTypes factors, string why);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Could not withdraw an undelivered challenge (tenant {TenantId}); its token was never answered or is refused by the caller")]
    public static partial void RevokeFailed(ILogger logger, Exception exception, long tenantId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "The stored authenticator secret of principal {PrincipalId} of tenant {TenantId} failed authentication (tampered, copied from another principal, or the key material changed); the operation answered failed")]
    public static partial void TotpSecretUnreadable(ILogger logger, long tenantId, long principalId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "A {TokenKind} token names key id {KeyId}, which the key ring does not hold; it fails closed: a challenge token answers as unknown, a device token is ignored (security.md item 36)")]
    public static partial void TokenKeyUnknown(ILogger logger, string tokenKind, byte keyId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Key re-wrap (completed: {Completed}): {Examined} authenticator secrets examined, {Rewrapped} re-wrapped to key {PrimaryKeyId}, {Unreadable} unreadable, {Changed} changed meanwhile")]
    public static partial void KeyRewrapFinished(ILogger logger, bool completed, long examined, long rewrapped, int primaryKeyId, long unreadable, long changed);

    /// <summary>The level an audit event is logged at: warnings for failures and lockouts.</summary>
    public static LogLevel LevelOf(TwoFactorAuditEventKind kind) => kind switch
    {
        TwoFactorAuditEventKind.ChallengeStarted or TwoFactorAuditEventKind.CodeSent or TwoFactorAuditEventKind.Passed
            or TwoFactorAuditEventKind.CodeResent or TwoFactorAuditEventKind.SettingsChanged or TwoFactorAuditEventKind.PrincipalUnlocked
            or TwoFactorAuditEventKind.TotpEnrollmentBegun or TwoFactorAuditEventKind.TotpEnrollmentConfirmed
            or TwoFactorAuditEventKind.TotpReset or TwoFactorAuditEventKind.TotpDisabled or TwoFactorAuditEventKind.RecoveryCodesRegenerated
            or TwoFactorAuditEventKind.StepUpAccepted or TwoFactorAuditEventKind.RecoveryCodeUsed => LogLevel.Information,
        TwoFactorAuditEventKind.StoreFailed or TwoFactorAuditEventKind.CodeDeliveryFailed or TwoFactorAuditEventKind.TotpSecretUnreadable => LogLevel.Error,
        _ => LogLevel.Warning,
    };
}

using System.Diagnostics.Metrics;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// Counters of the <c>Navixy.TwoFactor</c> meter, one per <see cref="TwoFactorAuditEventKind"/>. Uses the host's
/// <see cref="IMeterFactory"/> when one is registered (so meters are scoped to the container), otherwise one
/// process-wide meter.
/// </summary>
internal sealed class TwoFactorMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Navixy.TwoFactor";

    private static readonly Lazy<Counter<long>[]> SharedCounters = new(static () => CreateCounters(new Meter(MeterName)));

    private readonly Counter<long>[] _counters;

    public TwoFactorMetrics(IMeterFactory? meterFactory = null) =>
        _counters = meterFactory is null ? SharedCounters.Value : CreateCounters(meterFactory.Create(new MeterOptions(MeterName)));

    public void Count(TwoFactorAuditEventKind kind, FactorTypes factor = FactorTypes.None)
    {
        var index = (int)kind;
        if ((uint)index < (uint)_counters.Length)
        {
            if (factor.ToWireName() is { } name)
            {
                _counters[index].Add(1, new KeyValuePair<string, object?>("factor", name));
            }
            else
            {
                _counters[index].Add(1);
            }
        }
    }

    /// <summary>The instrument name of a kind, as documented on <see cref="TwoFactorAuditEventKind"/>.</summary>
    public static string InstrumentName(TwoFactorAuditEventKind kind) => "navixy.twofactor." + kind switch
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

    private static Counter<long>[] CreateCounters(Meter meter)
    {
        var kinds = Enum.GetValues<TwoFactorAuditEventKind>();
        var counters = new Counter<long>[kinds.Max(static k => (int)k) + 1];
        foreach (var kind in kinds)
        {
            counters[(int)kind] = meter.CreateCounter<long>(InstrumentName(kind), unit: "{event}", description: $"Two-factor audit events of kind {kind}.");
        }

        return counters;
    }
}

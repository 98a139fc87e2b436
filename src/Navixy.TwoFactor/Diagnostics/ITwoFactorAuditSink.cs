namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// Receives the engine's audit events: challenges started, codes sent, passes, wrong codes, lockouts, resends,
/// expiries, replays and settings changes. Register any number (<c>TwoFactorBuilder.AddAuditSink&lt;T&gt;()</c>);
/// each is called in turn after the outcome is decided. A sink that throws is logged and skipped: it never changes
/// the answer of a login.
/// </summary>
public interface ITwoFactorAuditSink
{
    /// <summary>Records one event. Keep it quick: logins wait for it.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">The operation's cancellation token.</param>
    ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken);
}

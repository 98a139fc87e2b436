using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Navixy.TwoFactor.Diagnostics;

/// <summary>
/// Raises an audit event everywhere at once: the meter's counter, the log, and every registered
/// <see cref="ITwoFactorAuditSink"/>. Never throws: a failing sink is logged and the next one still runs.
/// </summary>
internal sealed partial class TwoFactorAudit
{
    private readonly ITwoFactorAuditSink[] _sinks;
    private readonly TwoFactorMetrics _metrics;
    private readonly ILogger _logger;

    public TwoFactorAudit(IEnumerable<ITwoFactorAuditSink> sinks, TwoFactorMetrics metrics, TimeProvider time, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(time);
        _sinks = sinks.ToArray();
        _metrics = metrics;
        Time = time;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TwoFactorLog.Category);
    }

    /// <summary>The clock events are stamped with when the caller has no time of its own.</summary>
    public TimeProvider Time { get; }

    public ValueTask RaiseAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        _metrics.Count(auditEvent.Kind, auditEvent.Factor);
        var level = TwoFactorLog.LevelOf(auditEvent.Kind);
        if (_logger.IsEnabled(level))
        {
            TwoFactorLog.AuditEvent(_logger, level, auditEvent.Kind, auditEvent.Factor, auditEvent.Tenant.Value, auditEvent.PrincipalId);
        }

        return _sinks.Length == 0 ? default : WriteToSinksAsync(auditEvent, cancellationToken);
    }

    private async ValueTask WriteToSinksAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.WriteAsync(auditEvent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A sink is host code: whatever it throws must not change a login's outcome.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                TwoFactorLog.AuditSinkFailed(_logger, sink.GetType().FullName ?? sink.GetType().Name, exception.GetType().FullName ?? exception.GetType().Name);
            }
        }
    }
}

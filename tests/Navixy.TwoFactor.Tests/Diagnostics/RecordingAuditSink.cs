using System.Collections.Concurrent;
using Navixy.TwoFactor.Diagnostics;

namespace Navixy.TwoFactor.Tests.Diagnostics;

/// <summary>Records every audit event in order.</summary>
public sealed class RecordingAuditSink : ITwoFactorAuditSink
{
    private readonly ConcurrentQueue<TwoFactorAuditEvent> _events = new();

    public IReadOnlyList<TwoFactorAuditEvent> Events => [.. _events];

    public IReadOnlyList<TwoFactorAuditEventKind> Kinds => [.. _events.Select(e => e.Kind)];

    public ValueTask WriteAsync(TwoFactorAuditEvent auditEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(auditEvent);
        return default;
    }

    public void Clear() => _events.Clear();
}

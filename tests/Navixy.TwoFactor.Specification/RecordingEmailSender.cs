using System.Collections.Concurrent;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Specification;

/// <summary>An <see cref="IEmailCodeSender"/> that records every message and can be told to fail.</summary>
public sealed class RecordingEmailSender : IEmailCodeSender
{
    private readonly ConcurrentQueue<EmailCodeMessage> _messages = new();

    /// <summary>When set, every send records the message and then throws.</summary>
    public bool Fail { get; set; }

    /// <summary>Every message handed over, failed ones included, in order.</summary>
    public IReadOnlyList<EmailCodeMessage> Messages => [.. _messages];

    public ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _messages.Enqueue(message);
        return Fail ? throw new InvalidOperationException("The mail server is down.") : default;
    }

    /// <summary>Forgets every message so far.</summary>
    public void Clear() => _messages.Clear();

    /// <summary>The latest code sent to a principal.</summary>
    public string LastCode(TenantId tenant, long principalId) =>
        Messages.Last(m => m.Tenant == tenant && m.PrincipalId == principalId).Code;

    /// <summary>How many codes were sent to a principal.</summary>
    public int CountFor(TenantId tenant, long principalId) =>
        Messages.Count(m => m.Tenant == tenant && m.PrincipalId == principalId);
}

using System.Collections.Concurrent;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.AspNetCore.Tests;

/// <summary>The test's stand-in for a host's mail service: keeps the last code sent to each principal.</summary>
public sealed class MyMailer : IEmailCodeSender
{
    private readonly ConcurrentDictionary<(TenantId, long), string> _codes = new();

    public int Sent { get; private set; }

    public ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        _codes[(message.Tenant, message.PrincipalId)] = message.Code;
        Sent++;
        return ValueTask.CompletedTask;
    }

    public string LastCode(TenantId tenant, long principalId) => _codes[(tenant, principalId)];
}

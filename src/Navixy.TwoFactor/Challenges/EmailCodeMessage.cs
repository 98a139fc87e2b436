using System.Globalization;
using Navixy.TwoFactor.Policy;

namespace Navixy.TwoFactor.Challenges;

/// <summary>One email code to deliver. <see cref="ToString"/> never shows the code.</summary>
public sealed class EmailCodeMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="tenant">The tenant the principal belongs to.</param>
    /// <param name="principalId">The account or sub-user to send to.</param>
    /// <param name="code">The code: ASCII digits, leading zeros kept.</param>
    /// <param name="expiresAt">When the code stops being accepted.</param>
    /// <param name="sendNumber">1 for the first send of a challenge, 2 for the first resend, and so on.</param>
    public EmailCodeMessage(TenantId tenant, long principalId, string code, DateTimeOffset expiresAt, int sendNumber)
    {
        ArgumentNullException.ThrowIfNull(code);
        Tenant = tenant;
        PrincipalId = principalId;
        Code = code;
        ExpiresAt = expiresAt;
        SendNumber = sendNumber;
    }

    /// <summary>The tenant the principal belongs to.</summary>
    public TenantId Tenant { get; }

    /// <summary>The account or sub-user to send to.</summary>
    public long PrincipalId { get; }

    /// <summary>The code. Put it in the email and nowhere else.</summary>
    public string Code { get; }

    /// <summary>When the code stops being accepted.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>1 for the first send of a challenge, 2 for the first resend, and so on.</summary>
    public int SendNumber { get; }

    /// <summary>Describes the message without the code, e.g. <c>email code 1 for principal 5 of tenant 3</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"email code {SendNumber} for principal {PrincipalId} of {Tenant}, expires {ExpiresAt:O}");
}

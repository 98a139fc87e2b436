using System.Globalization;
using Navixy.TwoFactor.Challenges;
using Navixy.TwoFactor.Sample.Users;

namespace Navixy.TwoFactor.Sample.Email;

/// <summary>
/// The library's <see cref="IEmailCodeSender"/> for the sample: looks up the principal's address in the host's
/// user directory and hands the code to the <see cref="DevelopmentOutbox"/>, the stand-in for real email.
/// A real host sends the same message through its mail service.
/// </summary>
internal sealed class OutboxCodeSender(UserDirectory users, DevelopmentOutbox outbox) : IEmailCodeSender
{
    /// <summary>The subject of every code message.</summary>
    public const string Subject = "Your sign-in code";

    /// <summary>The body line that carries the code, up to the code itself.</summary>
    public const string CodeLinePrefix = "Your sign-in code: ";

    public async ValueTask SendAsync(EmailCodeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Throwing tells the engine the code was not delivered: it withdraws the challenge. The message names no code.
        if (!users.TryFind(message.Tenant, message.PrincipalId, out var user))
        {
            throw new InvalidOperationException($"No email address is known for principal {message.PrincipalId} in {message.Tenant}.");
        }

        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            {CodeLinePrefix}{message.Code}
            It works once, until {message.ExpiresAt:HH:mm:ss} UTC. If you did not just sign in, change your password.
            """);
        await outbox.DeliverAsync(user.Email, Subject, body, cancellationToken);
    }
}
